import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createChangeNotifications, dropChangeNotifications } from '../change-notifications.sql';

const TABLES = [
  'salesperson_purchaser',
  'currency',
  'unit_of_measure',
  'customer',
  'contact',
  'item',
  'resource',
  'customer_price_group',
  'sales_price',
  'opportunity',
  'sales_invoice_header',
  'sales_invoice_line',
  'sales_header',
];

export class ChangeNotifications1795642319210 implements MigrationInterface {
  name = 'ChangeNotifications1795642319210';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of createChangeNotifications('erp', TABLES)) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of dropChangeNotifications('erp', TABLES)) await queryRunner.query(statement);
  }
}
