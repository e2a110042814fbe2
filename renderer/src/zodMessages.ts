// Translates zod issues into the chosen UI language for react-hook-form's zodResolver.
import type { TFunction } from 'i18next';
import type { z } from 'zod';

export function zodMessages(t: TFunction): z.core.$ZodErrorMap {
  return (issue) => {
    switch (issue.code) {
      case 'too_small':
        return issue.origin === 'string' && issue.minimum === 1
          ? t('validation.required')
          : t('validation.tooShort', { min: issue.minimum });
      case 'too_big':
        return t('validation.tooLong', { max: issue.maximum });
      case 'invalid_format':
        return t('validation.invalidFormat');
      case 'invalid_type':
        return issue.input === undefined || issue.input === '' ? t('validation.required') : t('validation.invalid');
      default:
        return t('validation.invalid');
    }
  };
}
