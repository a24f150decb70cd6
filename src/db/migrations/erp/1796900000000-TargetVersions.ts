import { TargetVersionsMigration } from '../target-versions.sql';

export class TargetVersions1796900000000 extends TargetVersionsMigration {
  name = 'TargetVersions1796900000000';

  constructor() {
    super('erp', ['salesperson_purchaser', 'currency']);
  }
}
