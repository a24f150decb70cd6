/**
 * A mirror's bookkeeping, in the system's own schema next to its records: per record, the
 * product's id for it (Business Central chooses its own ids) and the version the mirror holds
 * (ETag and the modified-at the product stamped); per table, where the product's change feed
 * was read up to and when the mirror last held every change made before then.
 */
export function mirrorTablesSql(schema: 'erp' | 'crm'): string {
  return `
    CREATE TABLE "${schema}"."mirror_record" (
      "table_name" character varying(60) NOT NULL, "key" uuid NOT NULL, "product_id" uuid NOT NULL,
      "etag" character varying(200), "product_modified_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_${schema}_mirror_record" PRIMARY KEY ("table_name", "key"));
    CREATE UNIQUE INDEX "IDX_${schema}_mirror_record_product_id" ON "${schema}"."mirror_record" ("table_name", "product_id");
    CREATE TABLE "${schema}"."mirror_position" (
      "table_name" character varying(60) NOT NULL, "position" text, "caught_up_at" TIMESTAMP WITH TIME ZONE,
      "records_applied" bigint NOT NULL DEFAULT 0,
      CONSTRAINT "PK_${schema}_mirror_position" PRIMARY KEY ("table_name"))`;
}
