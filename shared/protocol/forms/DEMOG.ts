// DEMOG form: sex, date of birth (age at consent derived), ethnicity, childbearing potential (PROTOCOL.md "DEMOG").
import type { FormDef } from '../types';
import { ageYears } from '../../rules/age';
import { dateValue } from '../formValues';
import { SEX_CHOICES, choice, field } from './fieldKit';

const female = (d: Record<string, unknown>) => d.sex === 'F';

export const DEMOG: FormDef = {
  code: 'DEMOG',
  label: { zh: '人口学资料', en: 'Demographics' },
  fields: [
    field('sex', 'choice', '性别', 'Sex', { required: true, choices: SEX_CHOICES }),
    field('dateOfBirth', 'date', '出生日期', 'Date of birth', { required: true, allowBeforeConsent: true }),
    field('ethnicity', 'choice', '民族', 'Ethnicity', {
      required: true,
      choices: [choice('han', '汉族', 'Han'), choice('other', '其他民族', 'Other')],
    }),
    field('ethnicityOther', 'text', '其他民族（请注明）', 'Other ethnicity (specify)', {
      visibleWhen: (d) => d.ethnicity === 'other',
      required: (d) => d.ethnicity === 'other',
      maxLength: 40,
      help: { zh: '如彝族、白族、哈尼族、傣族', en: 'e.g. Yi, Bai, Hani, Dai' },
    }),
    field('childbearingPotential', 'boolean', '有生育能力的女性', 'Woman of childbearing potential', {
      visibleWhen: (d) => female(d),
      required: (d) => female(d),
      help: { zh: '未绝经且未行手术绝育的女性为"是"；"是"则筛选期须做妊娠试验', en: 'Yes unless post-menopausal or surgically sterile; yes requires a pregnancy test at screening' },
    }),
    field('nonChildbearingReason', 'choice', '无生育能力原因', 'Reason not of childbearing potential', {
      visibleWhen: (d) => female(d) && d.childbearingPotential === false,
      required: (d) => female(d) && d.childbearingPotential === false,
      choices: [
        choice('postmenopausal', '已绝经', 'Post-menopausal'),
        choice('surgically_sterile', '手术绝育', 'Surgically sterile'),
        choice('other', '其他', 'Other'),
      ],
    }),
    field('contraception', 'boolean', '采用公认有效的避孕措施', 'Using an accepted method of contraception', {
      visibleWhen: (d) => female(d) && d.childbearingPotential === true,
      required: (d) => female(d) && d.childbearingPotential === true,
    }),
    field('breastfeeding', 'boolean', '哺乳期', 'Breastfeeding', {
      visibleWhen: (d) => female(d),
      required: (d) => female(d),
    }),
  ],
  derived: [
    {
      id: 'ageAtConsent',
      label: { zh: '签署知情同意时年龄', en: 'Age at consent' },
      unit: '岁 / years',
      formula: { zh: '出生日期至知情同意签署日期的整岁数', en: 'Whole years from date of birth to the consent date' },
      decimals: 0,
      compute: (d, ctx) => {
        const dob = dateValue(d, 'dateOfBirth');
        const consent = ctx?.subject?.consentDate;
        if (!dob || !consent) return null;
        const age = ageYears(dob, consent);
        return Number.isFinite(age) ? age : null;
      },
    },
  ],
  // Age at the consent date (CONSENT).
  derivedReads: ['CONSENT'],
};
