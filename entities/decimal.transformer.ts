import type { ValueTransformer } from 'typeorm';

/** pg returns numeric columns as strings to keep precision; amounts here fit a double. */
export const decimal: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

export const decimalColumn = { type: 'numeric', precision: 18, scale: 2, transformer: decimal } as const;

/** Exchange rates need more than an amount's two decimals (Dataverse keeps ten). */
export const rateColumn = { type: 'numeric', precision: 22, scale: 10, transformer: decimal } as const;
