import { ChangeNotificationsMigration } from '../change-notifications.sql';

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

export class ChangeNotifications1795642319210 extends ChangeNotificationsMigration {
  name = 'ChangeNotifications1795642319210';

  constructor() {
    super('crm', TABLES);
  }
}
