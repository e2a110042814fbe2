// Tests for eGFR (CKD-EPI 2021 and 2009, every spline branch, both sexes), Chinese MDRD and Cockcroft-Gault, worked by hand.
import { describe, expect, it } from 'vitest';
import {
  creatinineClearanceCockcroftGault,
  creatinineMgDl,
  egfrChineseMdrd,
  egfrCkdEpi2009,
  egfrCkdEpi2021,
  kidneyFunction,
  kidneyFunctionWarnings,
} from './kidneyFunction';

describe('creatinine unit conversion', () => {
  it('mg/dL = µmol/L ÷ 88.4', () => {
    expect(creatinineMgDl(88.4)).toBe(1);
    expect(creatinineMgDl(176.8)).toBe(2);
  });
});

describe('egfrCkdEpi2021', () => {
  it('female, Scr below κ (min term active)', () => {
    // 44.2 µmol/L = 0.5 mg/dL; Scr/κ = 0.5/0.7 = 0.714286
    // min^α = 0.714286^−0.241 = e^(−0.241 × ln 0.714286) = e^(−0.241 × −0.336472) = e^0.081090 = 1.084468; max term = 1
    // 0.9938^30 = e^(30 × −0.0062193) = e^−0.186580 = 0.829793
    // 142 × 1.084468 × 0.829793 × 1.012 = 129.317
    expect(egfrCkdEpi2021({ creatinineUmolL: 44.2, ageYears: 30, sex: 'F' })).toBeCloseTo(129.317, 2);
  });
  it('female, Scr above κ (max term active)', () => {
    // 132.6 µmol/L = 1.5 mg/dL; Scr/κ = 1.5/0.7 = 2.142857; min term = 1
    // max^−1.2 = 2.142857^−1.2 = e^(−1.2 × 0.762140) = e^−0.914568 = 0.400690
    // 0.9938^50 = e^(50 × −0.0062193) = e^−0.310966 = 0.732740
    // 142 × 0.400690 × 0.732740 × 1.012 = 42.1917
    expect(egfrCkdEpi2021({ creatinineUmolL: 132.6, ageYears: 50, sex: 'F' })).toBeCloseTo(42.1917, 3);
  });
  it('female, Scr exactly κ (both terms 1)', () => {
    // 61.88 µmol/L = 0.7 mg/dL = κ; 142 × 0.9938^40 (0.779758) × 1.012 = 112.054
    expect(egfrCkdEpi2021({ creatinineUmolL: 61.88, ageYears: 40, sex: 'F' })).toBeCloseTo(112.054, 2);
  });
  it('male, Scr below κ', () => {
    // 53.04 µmol/L = 0.6 mg/dL; 0.6/0.9 = 0.666667; 0.666667^−0.302 = e^(−0.302 × −0.405465) = e^0.122450 = 1.130263
    // 0.9938^25 = e^(25 × −0.0062193) = e^−0.155483 = 0.856002; 142 × 1.130263 × 0.856002 = 137.386
    expect(egfrCkdEpi2021({ creatinineUmolL: 53.04, ageYears: 25, sex: 'M' })).toBeCloseTo(137.386, 2);
  });
  it('male, Scr above κ', () => {
    // 176.8 µmol/L = 2.0 mg/dL; 2.0/0.9 = 2.222222; 2.222222^−1.2 = e^(−1.2 × 0.798508) = e^−0.958210 = 0.383579
    // 0.9938^60 = e^(60 × −0.0062193) = e^−0.373159 = 0.688556; 142 × 0.383579 × 0.688556 = 37.5045
    expect(egfrCkdEpi2021({ creatinineUmolL: 176.8, ageYears: 60, sex: 'M' })).toBeCloseTo(37.5045, 3);
  });
  it('male, Scr exactly κ', () => {
    // 79.56 µmol/L = 0.9 mg/dL; 142 × 0.9938^40 (0.779758) = 110.726
    expect(egfrCkdEpi2021({ creatinineUmolL: 79.56, ageYears: 40, sex: 'M' })).toBeCloseTo(110.726, 2);
  });
  it('NaN on invalid input', () => {
    expect(egfrCkdEpi2021({ creatinineUmolL: 0, ageYears: 40, sex: 'M' })).toBeNaN();
    expect(egfrCkdEpi2021({ creatinineUmolL: 80, ageYears: NaN, sex: 'M' })).toBeNaN();
    expect(egfrCkdEpi2021({ creatinineUmolL: 80, ageYears: 40, sex: 'X' as 'M' })).toBeNaN();
  });
});

describe('egfrCkdEpi2009', () => {
  it('female below κ', () => {
    // 0.714286^−0.329 = e^(−0.329 × −0.336472) = e^0.110699 = 1.117059; 0.993^30 = e^(30 × −0.0070246) = e^−0.210738 = 0.809986
    // 141 × 1.117059 × 0.809986 × 1.018 = 129.873
    expect(egfrCkdEpi2009({ creatinineUmolL: 44.2, ageYears: 30, sex: 'F' })).toBeCloseTo(129.873, 2);
  });
  it('female above κ', () => {
    // 2.142857^−1.209 = e^(−1.209 × 0.762140) = e^−0.921427 = 0.397951; 0.993^50 = e^−0.351230 = 0.703821
    // 141 × 0.397951 × 0.703821 × 1.018 = 40.2030
    expect(egfrCkdEpi2009({ creatinineUmolL: 132.6, ageYears: 50, sex: 'F' })).toBeCloseTo(40.203, 2);
  });
  it('male below κ', () => {
    // 0.666667^−0.411 = e^(−0.411 × −0.405465) = e^0.166646 = 1.181336; 0.993^25 = e^−0.175615 = 0.838941
    // 141 × 1.181336 × 0.838941 = 139.741
    expect(egfrCkdEpi2009({ creatinineUmolL: 53.04, ageYears: 25, sex: 'M' })).toBeCloseTo(139.741, 2);
  });
  it('male above κ', () => {
    // 2.222222^−1.209 = e^(−1.209 × 0.798508) = e^−0.965396 = 0.380832; 0.993^60 = e^−0.421476 = 0.656077
    // 141 × 0.380832 × 0.656077 = 35.2296
    expect(egfrCkdEpi2009({ creatinineUmolL: 176.8, ageYears: 60, sex: 'M' })).toBeCloseTo(35.2296, 3);
  });
  it('at κ both terms are 1', () => {
    // 141 × 0.993^40 (0.755040) = 106.461
    expect(egfrCkdEpi2009({ creatinineUmolL: 79.56, ageYears: 40, sex: 'M' })).toBeCloseTo(106.461, 2);
  });
});

describe('egfrChineseMdrd', () => {
  it('male: 175 × Scr^−1.234 × age^−0.179', () => {
    // Scr 88.4 µmol/L = 1.0 mg/dL → 1^−1.234 = 1; 40^−0.179 = e^(−0.179 × 3.688879) = e^−0.660309 = 0.516691
    // 175 × 0.516691 = 90.4210
    expect(egfrChineseMdrd({ creatinineUmolL: 88.4, ageYears: 40, sex: 'M' })).toBeCloseTo(90.421, 2);
  });
  it('female × 0.79', () => {
    // 1.5^−1.234 = e^(−1.234 × 0.405465) = e^−0.500344 = 0.606322; 30^−0.179 = e^(−0.179 × 3.401197) = e^−0.608814 = 0.543995
    // 175 × 0.606322 × 0.543995 × 0.79 = 45.5999
    expect(egfrChineseMdrd({ creatinineUmolL: 132.6, ageYears: 30, sex: 'F' })).toBeCloseTo(45.6, 2);
  });
  it('NaN for age 0 (age^−0.179 undefined)', () => {
    expect(egfrChineseMdrd({ creatinineUmolL: 88.4, ageYears: 0, sex: 'M' })).toBeNaN();
  });
});

describe('creatinineClearanceCockcroftGault', () => {
  it('male: (140 − age) × weight / (72 × Scr mg/dL)', () => {
    // (140 − 40) × 72 / (72 × 1.0) = 100 mL/min
    expect(creatinineClearanceCockcroftGault({ creatinineUmolL: 88.4, ageYears: 40, sex: 'M', weightKg: 72 })).toBeCloseTo(100, 10);
  });
  it('female × 0.85', () => {
    // (140 − 30) × 60 / (72 × 1.5) = 6600 / 108 = 61.1111; × 0.85 = 51.9444
    expect(creatinineClearanceCockcroftGault({ creatinineUmolL: 132.6, ageYears: 30, sex: 'F', weightKg: 60 })).toBeCloseTo(51.9444, 3);
  });
  it('NaN without a weight', () => {
    expect(creatinineClearanceCockcroftGault({ creatinineUmolL: 88.4, ageYears: 40, sex: 'M', weightKg: undefined as unknown as number })).toBeNaN();
  });
});

describe('under-18 warning', () => {
  it('adult equations carry a warning below 18 only', () => {
    expect(kidneyFunctionWarnings(17)).toEqual(['UNDER_18_ADULT_EQUATION']);
    expect(kidneyFunctionWarnings(18)).toEqual([]);
    expect(kidneyFunction({ creatinineUmolL: 70, ageYears: 16, sex: 'F', weightKg: 50 }).warnings).toEqual(['UNDER_18_ADULT_EQUATION']);
  });
});
