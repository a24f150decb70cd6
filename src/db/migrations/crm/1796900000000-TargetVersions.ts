import { TargetVersionsMigration } from '../target-versions.sql';

export class TargetVersions1796900000000 extends TargetVersionsMigration {
  name = 'TargetVersions1796900000000';

  constructor() {
    super('crm', ['system_user', 'transaction_currency']);
  }
}
