-- Stock movements get the order they were applied in (see schema.ts). Existing rows are numbered
-- in the table's physical order, which for this insert-only table is the order they were written.
DROP INDEX "stock_movements_fabric_idx";--> statement-breakpoint
ALTER TABLE "stock_movements" ADD COLUMN "seq" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "stock_movements_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
CREATE INDEX "stock_movements_fabric_idx" ON "stock_movements" USING btree ("fabric_id","seq");