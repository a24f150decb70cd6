import { ChangeNotifications1795642319210 as CrmChangeNotifications } from './crm/1795642319210-ChangeNotifications';
import { Initial1795637645149 as CrmInitial } from './crm/1795637645149-Initial';
import { ChangeNotifications1795642319210 as ErpChangeNotifications } from './erp/1795642319210-ChangeNotifications';
import { SalesOrderTransfer1795642369576 as CrmSalesOrderTransfer } from './crm/1795642369576-SalesOrderTransfer';
import { Mirror1796400000000 as ErpMirror } from './erp/1796400000000-Mirror';
import { Mirror1796400000000 as CrmMirror } from './crm/1796400000000-Mirror';
import { Initial1795637644671 as ErpInitial } from './erp/1795637644671-Initial';
import { SalesOrderTransfer1795642364522 as ErpSalesOrderTransfer } from './erp/1795642364522-SalesOrderTransfer';
import { NoSeries1795700000001 as ErpNoSeries } from './erp/1795700000001-NoSeries';
import { Initial1795637850501 as IntegrationInitial } from './integration/1795637850501-Initial';
import { FullSync1795642299254 as IntegrationFullSync } from './integration/1795642299254-FullSync';
import { SyncJobs1795638532022 as IntegrationSyncJobs } from './integration/1795638532022-SyncJobs';
import { SyncWatermarks1795638931186 as IntegrationSyncWatermarks } from './integration/1795638931186-SyncWatermarks';
import { ConnectionSetup1795642375711 as IntegrationConnectionSetup } from './integration/1795642375711-ConnectionSetup';
import { ConstantFieldMappingsOnce1795699999999 as IntegrationConstantFieldMappingsOnce } from './integration/1795699999999-ConstantFieldMappingsOnce';
import { SyncYouCanTrust1795700000000 as IntegrationSyncYouCanTrust } from './integration/1795700000000-SyncYouCanTrust';
import { FieldMerge1795700000002 as IntegrationFieldMerge } from './integration/1795700000002-FieldMerge';
import { CoupledListIndex1796093554557 as IntegrationCoupledListIndex } from './integration/1796093554557-CoupledListIndex';
import { PendingChanges1796100000000 as IntegrationPendingChanges } from './integration/1796100000000-PendingChanges';
import { FieldLineage1796200000000 as IntegrationFieldLineage } from './integration/1796200000000-FieldLineage';
import { RunProgress1796200000001 as IntegrationRunProgress } from './integration/1796200000001-RunProgress';
import { DuplicateReview1796300000000 as IntegrationDuplicateReview } from './integration/1796300000000-DuplicateReview';
import { FieldLineageByChunk1796300000001 as IntegrationFieldLineageByChunk } from './integration/1796300000001-FieldLineageByChunk';
import { FieldLineageAsText1796400000000 as IntegrationFieldLineageAsText } from './integration/1796400000000-FieldLineageAsText';
import { OneSidedRecordIndexes1796400000001 as IntegrationOneSidedRecordIndexes } from './integration/1796400000001-OneSidedRecordIndexes';
import { FieldLineageKeysUncompressed1796500000000 as IntegrationFieldLineageKeysUncompressed } from './integration/1796500000000-FieldLineageKeysUncompressed';
import { CodeLinkIndex1796600000000 as IntegrationCodeLinkIndex } from './integration/1796600000000-CodeLinkIndex';
import { RecordReferences1796720000000 as IntegrationRecordReferences } from './integration/1796720000000-RecordReferences';
import { FieldMappingVersion1796800000000 as IntegrationFieldMappingVersion } from './integration/1796800000000-FieldMappingVersion';
import { ResolvedReferences1796900000000 as IntegrationResolvedReferences } from './integration/1796900000000-ResolvedReferences';
import { TargetVersions1796900000000 as ErpTargetVersions } from './erp/1796900000000-TargetVersions';
import { TargetVersions1796900000000 as CrmTargetVersions } from './crm/1796900000000-TargetVersions';

/** Each store has its own migrations and migrations table, since the stores may be separate databases. */
export const erpMigrations = [ErpInitial, ErpSalesOrderTransfer, ErpChangeNotifications, ErpNoSeries, ErpMirror, ErpTargetVersions];
export const crmMigrations = [CrmInitial, CrmSalesOrderTransfer, CrmChangeNotifications, CrmMirror, CrmTargetVersions];
export const integrationMigrations = [
  IntegrationInitial,
  IntegrationSyncJobs,
  IntegrationSyncWatermarks,
  IntegrationConnectionSetup,
  IntegrationFullSync,
  IntegrationConstantFieldMappingsOnce,
  IntegrationSyncYouCanTrust,
  IntegrationFieldMerge,
  IntegrationCoupledListIndex,
  IntegrationPendingChanges,
  IntegrationFieldLineage,
  IntegrationRunProgress,
  IntegrationDuplicateReview,
  IntegrationFieldLineageByChunk,
  IntegrationFieldLineageAsText,
  IntegrationOneSidedRecordIndexes,
  IntegrationFieldLineageKeysUncompressed,
  IntegrationCodeLinkIndex,
  IntegrationRecordReferences,
  IntegrationFieldMappingVersion,
  IntegrationResolvedReferences,
];
