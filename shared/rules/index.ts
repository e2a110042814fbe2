// Public API of the protocol rules: derived values, scores, doses, endpoint, eligibility and visit windows (stable names and shapes).
export { ageYears } from './age';
export { bsaMosteller, bsaDuBois, bodyMassIndex, type HeightWeight } from './bsa';
export {
  egfrCkdEpi2021,
  egfrCkdEpi2009,
  egfrChineseMdrd,
  creatinineClearanceCockcroftGault,
  creatinineMgDl,
  kidneyFunction,
  kidneyFunctionWarnings,
  KIDNEY_FUNCTION_WARNING_MESSAGES,
  CREATININE_UMOL_PER_MG_DL,
  type EgfrInput,
  type CrClInput,
  type Sex,
  type KidneyFunctionWarning,
} from './kidneyFunction';
export {
  sledai2kScore,
  suggestSledaiFromLab,
  SLEDAI_ITEMS,
  SLEDAI_DESCRIPTORS,
  SLEDAI_WEIGHTS,
  SLEDAI_MAX,
  SLEDAI_LAB_THRESHOLDS,
  type SledaiItem,
  type SledaiDescriptor,
  type SledaiLabInput,
} from './sledai';
export {
  cyclophosphamideDose,
  doseDifferenceFraction,
  roundToStep,
  CYC_RULES,
  CYC_WARNING_MESSAGES,
  type CycDoseInput,
  type CycDoseResult,
  type CycWarning,
} from './cyclophosphamideDose';
export {
  classifyRenalResponse,
  isRemission,
  RENAL_RESPONSE_RULES,
  RENAL_RESPONSE_LABELS,
  RENAL_INPUT_LABELS,
  type RenalValues,
  type RenalResponseCategory,
  type RenalResponseResult,
  type RenalRuleStep,
} from './renalResponse';
export {
  evaluateEligibility,
  eligibilityFactsFromCasebook,
  ELIGIBILITY_CRITERIA,
  ELIGIBILITY_STATUS_LABELS,
  ELIGIBILITY_LIMITS,
  type EligibilityFacts,
  type EligibilityResult,
  type CriterionId,
  type CriterionResult,
  type CriterionStatus,
} from './eligibility';
export { visitWindow, type VisitWindowResult, type VisitWindowStatus } from './visitWindow';
export { addDays, daysBetween, isIsoDate, isHhMm } from './dates';
