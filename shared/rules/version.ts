// The version of the rules that turn entered data into derived values (formulas, scores, eligibility, the endpoint).
// Stored with every derived value (derived_values.rules_version) and with the RESPONSE of record
// (recordRulesVersion), so a value can always be traced to the rules that made it (PROTOCOL.md rule 13).
// Bump it whenever a formula, threshold or rule in shared/rules or a DerivedDef.compute changes what it returns:
// 'a1' = protocol amendment 1; '.n' counts rule changes within it.
export const RULES_VERSION = 'a1.1';
