import { ChangeNotificationsMigration } from '../change-notifications.sql';

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

export class ChangeNotifications1795642319210 extends ChangeNotificationsMigration {
  name = 'ChangeNotifications1795642319210';

  constructor() {
    super('erp', TABLES);
  }
}
