import { Directive, Field, ID, ObjectType } from 'type-graphql';
import * as crm from '../entities/crm';
import * as erp from '../entities/erp';
import { SyncJob } from '../entities/integration/sync-job.entity';
import { TransferStatus, type TransferOutcome } from '../src/sales-orders/sales-order-transfer.service';
import { Node } from './common/node.interface';
import { UnifiedObject } from './common/unified-object';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'A CRM sales order and the ERP sales order it was transferred to (CRM → ERP).' })
export class SalesOrder extends UnifiedObject('SalesOrder', erp.SalesHeader, crm.SalesOrder) {
  @Field(() => String, { nullable: true })
  number!: string | null;

  @Field(() => String, { nullable: true, description: 'The CRM order name; the ERP External Document No.' })
  name!: string | null;
}

@ObjectType({ description: 'What became of one CRM order in a transfer.' })
class SalesOrderTransferResult {
  @Field(() => ID, { description: "The CRM order's GUID." })
  crmOrderId!: string;

  @Field(() => String, { nullable: true })
  orderNumber!: string | null;

  @Field(() => TransferStatus)
  status!: TransferStatus;

  @Field(() => String, { nullable: true, description: 'FAILED: the error code (CUSTOMER_NOT_COUPLED, ORDER_NOT_SUBMITTED, …).' })
  code!: string | null;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => ID, { nullable: true, description: "The ERP sales order's SystemId." })
  erpOrderId!: string | null;
}

@ObjectType({ description: "A transfer of CRM sales orders: its job row and each order's outcome." })
export class SalesOrderTransfer {
  @Field(() => SyncJob)
  job!: SyncJob;

  @Field(() => [SalesOrderTransferResult])
  orders!: TransferOutcome[];
}
