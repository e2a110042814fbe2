// Body surface area (Mosteller, DuBois) and body-mass index from height and weight (PROTOCOL.md "Derived values").

export interface HeightWeight {
  heightCm: number;
  weightKg: number;
}

function valid(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x > 0;
}

/** BSA (m²) Mosteller = √(height cm × weight kg / 3600). NaN when an input is missing, non-finite or ≤ 0. */
export function bsaMosteller(input: HeightWeight): number {
  const { heightCm, weightKg } = input ?? ({} as HeightWeight);
  if (!valid(heightCm) || !valid(weightKg)) return NaN;
  return Math.sqrt((heightCm * weightKg) / 3600);
}

/** BSA (m²) DuBois = 0.007184 × height cm^0.725 × weight kg^0.425. NaN on invalid input. */
export function bsaDuBois(input: HeightWeight): number {
  const { heightCm, weightKg } = input ?? ({} as HeightWeight);
  if (!valid(heightCm) || !valid(weightKg)) return NaN;
  return 0.007184 * heightCm ** 0.725 * weightKg ** 0.425;
}

/** BMI (kg/m²) = weight kg / (height m)². NaN on invalid input. */
export function bodyMassIndex(input: HeightWeight): number {
  const { heightCm, weightKg } = input ?? ({} as HeightWeight);
  if (!valid(heightCm) || !valid(weightKg)) return NaN;
  return weightKg / (heightCm / 100) ** 2;
}
