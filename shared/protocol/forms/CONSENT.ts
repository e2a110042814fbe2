// CONSENT form: informed consent date, version and who signed (age 16-17 needs a guardian) (PROTOCOL.md "CONSENT").
import type { FormDef } from '../types';
import { choice, field } from './fieldKit';

const guardianSigned = (d: Record<string, unknown>) => d.signedBy === 'guardian' || d.signedBy === 'patient_and_guardian';

export const CONSENT: FormDef = {
  code: 'CONSENT',
  label: { zh: '知情同意', en: 'Informed consent' },
  fields: [
    field('consentDate', 'date', '知情同意书签署日期', 'Date informed consent signed', { required: true, allowBeforeConsent: true }),
    field('consentVersion', 'text', '知情同意书版本号', 'Consent form version', {
      required: true,
      maxLength: 30,
      help: { zh: '按知情同意书页脚填写，如 V2.0 2011-12-01', en: 'As printed in the consent form footer, e.g. V2.0 2011-12-01' },
    }),
    field('signedBy', 'choice', '签署人', 'Signed by', {
      required: true,
      choices: [
        choice('patient', '患者本人', 'Patient'),
        choice('patient_and_guardian', '患者本人及法定监护人', 'Patient and legal guardian'),
        choice('guardian', '法定监护人', 'Legal guardian'),
      ],
      help: { zh: '签署时未满 18 岁（16–17 岁）的患者须有法定监护人签字', en: 'Patients aged 16-17 at consent need a legal guardian to sign' },
    }),
    field('guardianRelationship', 'choice', '监护人与患者关系', "Guardian's relationship to patient", {
      visibleWhen: (d) => guardianSigned(d),
      required: (d) => guardianSigned(d),
      choices: [choice('father', '父亲', 'Father'), choice('mother', '母亲', 'Mother'), choice('other', '其他法定监护人', 'Other legal guardian')],
    }),
    field('copyGiven', 'boolean', '已将签字的知情同意书副本交给受试者', 'Copy of the signed consent given to the subject', { required: true }),
  ],
};
