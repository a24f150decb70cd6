import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createChangeNotifications, dropChangeNotifications } from '../change-notifications.sql';

const TABLES = [
  'system_user',
  'transaction_currency',
  'unit_group',
  'account',
  'contact',
  'product',
  'price_level',
  'product_price_level',
  'opportunity',
  'invoice',
  'invoice_detail',
  'sales_order',
];

export class ChangeNotifications1795642319210 implements MigrationInterface {
  name = 'ChangeNotifications1795642319210';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of createChangeNotifications('crm', TABLES)) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of dropChangeNotifications('crm', TABLES)) await queryRunner.query(statement);
  }
}
