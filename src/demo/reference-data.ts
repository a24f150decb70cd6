import { AccountOptionSet, OptionSetValue } from '../../entities/crm/option-set-value.entity';
import { PriceLevel, PriceLevelState } from '../../entities/crm/price-level.entity';
import { TransactionCurrency } from '../../entities/crm/transaction-currency.entity';
import { Unit } from '../../entities/crm/unit.entity';
import { UnitGroup } from '../../entities/crm/unit-group.entity';
import { Currency } from '../../entities/erp/currency.entity';
import { CustomerPriceGroup } from '../../entities/erp/customer-price-group.entity';
import { PaymentTerms } from '../../entities/erp/payment-terms.entity';
import { SalesReceivablesSetup, WriteInProductType } from '../../entities/erp/sales-receivables-setup.entity';
import { ShipmentMethod } from '../../entities/erp/shipment-method.entity';
import { ShippingAgent } from '../../entities/erp/shipping-agent.entity';
import { UnitOfMeasure } from '../../entities/erp/unit-of-measure.entity';
import { OptionCoupling } from '../../entities/integration/option-coupling.entity';
import { Coupler, syncedToCrm } from './couplings';
import type { DemoIds, DemoRandom } from './random-company';
import { ERP_DEMO_USER, type SalesTeam } from './sales-team';
import type { StoreBatch } from './store-batch';

export const WRITE_IN_ITEM_NO = 'WRITE-IN';

export interface CurrencyRef {
  readonly code: string;
  /** The coupled CRM transaction currency; null for currencies without an ISO code, which never couple. */
  readonly crmId: string | null;
  readonly exchangeRate: number;
  /** Where customers invoiced in the currency are. */
  readonly countries: readonly string[];
}

export interface UnitRef {
  readonly code: string;
  /** The coupled CRM unit group and its single unit; null when the unit of measure is not coupled. */
  readonly crmUnitGroupId: string | null;
  readonly crmUnitId: string | null;
}

/** An ERP code of an option-mapped table and the CRM option value coupled to it (null: no matching option). */
export interface OptionCodeRef {
  readonly code: string;
  readonly crmValue: number | null;
}

export interface PaymentTermsRef extends OptionCodeRef {
  dueDate(postingDate: Date): Date;
}

export interface PriceGroupRef {
  readonly code: string;
  readonly priceLevelId: string;
}

export interface ReferenceData {
  readonly currencies: { readonly iso: readonly CurrencyRef[]; readonly withoutIso: readonly CurrencyRef[] };
  readonly units: ReadonlyMap<string, UnitRef>;
  readonly paymentTerms: readonly PaymentTermsRef[];
  readonly shipmentMethods: readonly OptionCodeRef[];
  readonly shippingAgents: readonly OptionCodeRef[];
  /** Every option value of each account option set, for CRM-only accounts. */
  readonly crmOptionValues: Readonly<Record<AccountOptionSet, readonly number[]>>;
  readonly priceGroups: readonly PriceGroupRef[];
  /** The CRM price list the item sync maintains (not coupled to a price group). */
  readonly defaultPriceLevelId: string;
}

interface ReferenceWriters {
  readonly random: DemoRandom;
  readonly ids: DemoIds;
  readonly team: SalesTeam;
  readonly erp: StoreBatch;
  readonly crm: StoreBatch;
  readonly integration: StoreBatch;
  readonly coupler: Coupler;
}

// Exchange rates are units of the currency per unit of the local currency, as the CRM keeps them.
const currencies = [
  { code: 'EUR', description: 'Euro', isoCode: 'EUR', symbol: '€', exchangeRate: 1.0652, countries: ['DE', 'FR', 'NL', 'AT', 'IT'] },
  { code: 'USD', description: 'US Dollar', isoCode: 'USD', symbol: '$', exchangeRate: 1.1271, countries: ['US'] },
  { code: 'GBP', description: 'Pound Sterling', isoCode: 'GBP', symbol: '£', exchangeRate: 0.8843, countries: ['GB'] },
  { code: 'DKK', description: 'Danish Krone', isoCode: 'DKK', symbol: 'kr.', exchangeRate: 7.9512, countries: ['DK'] },
  { code: 'CAD', description: 'Canadian Dollar', isoCode: 'CAD', symbol: 'CA$', exchangeRate: 1.5538, countries: ['CA'] },
  { code: 'XAU-T', description: 'Gold token', isoCode: null, symbol: null, exchangeRate: 0.0004431, countries: ['LI'] },
  { code: 'LOCAL2', description: 'Local trade vouchers', isoCode: null, symbol: null, exchangeRate: 1, countries: [] },
] as const;

const unitsOfMeasure = [
  { code: 'PCS', description: 'Piece', coupled: true },
  { code: 'BOX', description: 'Box', coupled: true },
  { code: 'SET', description: 'Set', coupled: true },
  { code: 'KG', description: 'Kilogram', coupled: true },
  { code: 'L', description: 'Litre', coupled: true },
  { code: 'M', description: 'Metre', coupled: true },
  { code: 'HOUR', description: 'Hour', coupled: true },
  { code: 'DAY', description: 'Day', coupled: true },
  { code: 'PALLET', description: 'Pallet', coupled: false },
] as const;

// Labels equal the ERP codes where the CRM has a matching option; the other labels are CRM-only options.
const paymentTerms = [
  { code: '14D', description: 'Net 14 days', dueDateCalculation: '14D', days: 14, crmValue: 1 },
  { code: '30D', description: 'Net 30 days', dueDateCalculation: '30D', days: 30, crmValue: 2 },
  { code: '60D', description: 'Net 60 days', dueDateCalculation: '60D', days: 60, crmValue: 3 },
  { code: 'CM', description: 'Current month', dueDateCalculation: 'CM', days: null, crmValue: 4 },
  { code: '1M(8D)', description: '1 month, 2% discount within 8 days', dueDateCalculation: '1M', days: 30, crmValue: 5 },
  { code: 'COD', description: 'Cash on delivery', dueDateCalculation: '0D', days: 0, crmValue: null },
] as const;
const crmOnlyPaymentTerms = [{ value: 6, label: 'Net 45' }];

const shipmentMethods = [
  { code: 'FOB', description: 'Free on board', crmValue: 1 },
  { code: 'CIF', description: 'Cost, insurance and freight', crmValue: 2 },
  { code: 'EXW', description: 'Ex works', crmValue: 3 },
  { code: 'DAP', description: 'Delivered at place', crmValue: 4 },
  { code: 'PICKUP', description: 'Collected by the customer', crmValue: null },
] as const;
const crmOnlyFreightTerms = [{ value: 5, label: 'No Charge' }];

const shippingAgents = [
  { code: 'DHL', name: 'DHL Express', crmValue: 2 },
  { code: 'FEDEX', name: 'FedEx', crmValue: 3 },
  { code: 'UPS', name: 'United Parcel Service', crmValue: 4 },
  { code: 'OWNLOG', name: 'Own logistics', crmValue: null },
] as const;
const crmOnlyShippingMethods = [
  { value: 1, label: 'Airborne' },
  { value: 5, label: 'Postal Mail' },
  { value: 6, label: 'Will Call' },
];

const priceGroups = [
  { code: 'RETAIL', description: 'Retail customers', priceIncludesVat: true },
  { code: 'WHOLESALE', description: 'Wholesalers and distributors', priceIncludesVat: false },
  { code: 'EXPORT', description: 'Export customers', priceIncludesVat: false },
  { code: 'VIP', description: 'Key accounts', priceIncludesVat: false },
] as const;

/** Currencies, units, terms and option sets, price groups and the sales setup, on both sides. */
export function buildReferenceData(w: ReferenceWriters): ReferenceData {
  return {
    currencies: buildCurrencies(w),
    units: buildUnits(w),
    paymentTerms: buildPaymentTerms(w),
    shipmentMethods: buildOptionTable(w, 'SHIPMENT METHOD', AccountOptionSet.FREIGHT_TERMS, shipmentMethods, crmOnlyFreightTerms, (m, modifiedAt) =>
      w.erp.add(ShipmentMethod, { systemId: w.ids.of('erp.shipment_method', m.code), code: m.code, description: m.description, modifiedAt, modifiedBy: ERP_DEMO_USER }),
    ),
    shippingAgents: buildOptionTable(w, 'SHIPPING AGENT', AccountOptionSet.SHIPPING_METHOD, shippingAgents, crmOnlyShippingMethods, (a, modifiedAt) =>
      w.erp.add(ShippingAgent, { systemId: w.ids.of('erp.shipping_agent', a.code), code: a.code, name: a.name, modifiedAt, modifiedBy: ERP_DEMO_USER }),
    ),
    crmOptionValues: {
      [AccountOptionSet.PAYMENT_TERMS]: [...paymentTerms.flatMap((t) => (t.crmValue === null ? [] : [t.crmValue])), ...crmOnlyPaymentTerms.map((o) => o.value)],
      [AccountOptionSet.FREIGHT_TERMS]: [...shipmentMethods.flatMap((m) => (m.crmValue === null ? [] : [m.crmValue])), ...crmOnlyFreightTerms.map((o) => o.value)],
      [AccountOptionSet.SHIPPING_METHOD]: [...shippingAgents.flatMap((a) => (a.crmValue === null ? [] : [a.crmValue])), ...crmOnlyShippingMethods.map((o) => o.value)],
    },
    priceGroups: buildPriceGroups(w),
    defaultPriceLevelId: buildDefaultPriceLists(w),
  };
}

function buildCurrencies(w: ReferenceWriters): ReferenceData['currencies'] {
  const iso: CurrencyRef[] = [];
  const withoutIso: CurrencyRef[] = [];
  for (const c of currencies) {
    const currency: Currency = {
      systemId: w.ids.of('erp.currency', c.code),
      code: c.code,
      description: c.description,
      isoCode: c.isoCode,
      symbol: c.symbol,
      exchangeRate: c.exchangeRate,
      modifiedAt: w.random.daysBeforeBase(400, 700),
      modifiedBy: ERP_DEMO_USER,
    };
    w.erp.add(Currency, currency);
    if (c.isoCode === null) {
      withoutIso.push({ code: c.code, crmId: null, exchangeRate: c.exchangeRate, countries: c.countries });
      continue;
    }
    const times = syncedToCrm(w.random, currency.modifiedAt);
    const transactionCurrency: TransactionCurrency = {
      id: w.ids.of('crm.transaction_currency', c.isoCode),
      isoCurrencyCode: c.isoCode,
      currencyName: c.description,
      currencySymbol: c.symbol,
      exchangeRate: c.exchangeRate,
      currencyPrecision: 2,
      modifiedAt: times.crmModifiedAt,
      modifiedBy: w.team.integrationUserId,
    };
    w.crm.add(TransactionCurrency, transactionCurrency);
    w.coupler.couple('CURRENCY', { id: currency.systemId, record: currency }, { id: transactionCurrency.id, record: transactionCurrency }, times);
    iso.push({ code: c.code, crmId: transactionCurrency.id, exchangeRate: c.exchangeRate, countries: c.countries });
  }
  return { iso, withoutIso };
}

function buildUnits(w: ReferenceWriters): ReadonlyMap<string, UnitRef> {
  const units = new Map<string, UnitRef>();
  for (const u of unitsOfMeasure) {
    const unitOfMeasure: UnitOfMeasure = {
      systemId: w.ids.of('erp.unit_of_measure', u.code),
      code: u.code,
      description: u.description,
      modifiedAt: w.random.daysBeforeBase(400, 700),
      modifiedBy: ERP_DEMO_USER,
    };
    w.erp.add(UnitOfMeasure, unitOfMeasure);
    if (!u.coupled) {
      units.set(u.code, { code: u.code, crmUnitGroupId: null, crmUnitId: null });
      continue;
    }
    const times = syncedToCrm(w.random, unitOfMeasure.modifiedAt);
    const group: UnitGroup = {
      id: w.ids.of('crm.unit_group', u.code),
      name: u.code,
      baseUomName: u.description,
      modifiedAt: times.crmModifiedAt,
      modifiedBy: w.team.integrationUserId,
    };
    const unit = crmUnit(w, group, u.description, null, 1, times.crmModifiedAt, w.team.integrationUserId);
    w.crm.add(UnitGroup, group);
    w.crm.add(Unit, unit);
    w.coupler.couple('UNIT OF MEASURE', { id: unitOfMeasure.systemId, record: unitOfMeasure }, { id: group.id, record: group }, times);
    units.set(u.code, { code: u.code, crmUnitGroupId: group.id, crmUnitId: unit.id });
  }
  // A unit group made in the CRM with two units: it breaks the one-unit rule, so it can never couple.
  const modifiedAt = w.random.daysBeforeBase(300, 400);
  const packaging: UnitGroup = {
    id: w.ids.of('crm.unit_group', 'CRM-PACKAGING'),
    name: 'Packaging',
    baseUomName: 'Each',
    modifiedAt,
    modifiedBy: w.team.adminUserId,
  };
  const each = crmUnit(w, packaging, 'Each', null, 1, modifiedAt, w.team.adminUserId);
  w.crm.add(UnitGroup, packaging);
  w.crm.add(Unit, each);
  w.crm.add(Unit, crmUnit(w, packaging, 'Dozen', each.id, 12, modifiedAt, w.team.adminUserId));
  return units;
}

function crmUnit(w: ReferenceWriters, group: UnitGroup, name: string, baseUomId: string | null, quantity: number, modifiedAt: Date, modifiedBy: string): Unit {
  return {
    id: w.ids.of('crm.unit', `${group.name}/${name}`),
    name,
    unitGroupId: group.id,
    baseUomId,
    quantity,
    isScheduleBaseUom: baseUomId === null,
    modifiedAt,
    modifiedBy,
  };
}

function buildPaymentTerms(w: ReferenceWriters): PaymentTermsRef[] {
  const codes = buildOptionTable(w, 'PAYMENT TERMS', AccountOptionSet.PAYMENT_TERMS, paymentTerms, crmOnlyPaymentTerms, (t, modifiedAt) =>
    w.erp.add(PaymentTerms, {
      systemId: w.ids.of('erp.payment_terms', t.code),
      code: t.code,
      description: t.description,
      dueDateCalculation: t.dueDateCalculation,
      modifiedAt,
      modifiedBy: ERP_DEMO_USER,
    }),
  );
  return paymentTerms.map((t, index) => ({
    ...codes[index]!,
    dueDate: (postingDate: Date) =>
      t.days === null ? new Date(Date.UTC(postingDate.getUTCFullYear(), postingDate.getUTCMonth() + 1, 0)) : new Date(postingDate.getTime() + t.days * 86_400_000),
  }));
}

/**
 * One ERP table mapped onto an account option set: the ERP codes, the CRM options (the coupled ones
 * labelled with the ERP code, plus options only the CRM has) and the option couplings between them.
 */
function buildOptionTable<T extends { readonly code: string; readonly crmValue: number | null }>(
  w: ReferenceWriters,
  optionMappingName: string,
  optionSet: AccountOptionSet,
  erpCodes: readonly T[],
  crmOnlyOptions: readonly { value: number; label: string }[],
  addErpRecord: (code: T, modifiedAt: Date) => void,
): OptionCodeRef[] {
  const addOption = (value: number, label: string, modifiedAt: Date): void => {
    w.crm.add(OptionSetValue, {
      id: w.ids.of('crm.option_set_value', `${optionSet}/${value}`),
      optionSet,
      value,
      label,
      modifiedAt,
      modifiedBy: w.team.adminUserId,
    });
  };
  for (const code of erpCodes) {
    const modifiedAt = w.random.daysBeforeBase(400, 700);
    addErpRecord(code, modifiedAt);
    if (code.crmValue === null) continue;
    addOption(code.crmValue, code.code, modifiedAt);
    w.integration.add(OptionCoupling, {
      id: w.ids.of('option_coupling', `${optionMappingName}/${code.code}`),
      optionMappingName,
      erpCode: code.code,
      crmValue: code.crmValue,
      modifiedAt,
      modifiedBy: 'demo',
    });
  }
  for (const option of crmOnlyOptions) addOption(option.value, option.label, w.random.daysBeforeBase(400, 700));
  return erpCodes.map((code) => ({ code: code.code, crmValue: code.crmValue }));
}

function buildPriceGroups(w: ReferenceWriters): PriceGroupRef[] {
  return priceGroups.map((g) => {
    const group: CustomerPriceGroup = {
      systemId: w.ids.of('erp.customer_price_group', g.code),
      code: g.code,
      description: g.description,
      allowInvoiceDisc: true,
      priceIncludesVat: g.priceIncludesVat,
      modifiedAt: w.random.daysBeforeBase(400, 700),
      modifiedBy: ERP_DEMO_USER,
    };
    const times = syncedToCrm(w.random, group.modifiedAt);
    const priceLevel: PriceLevel = {
      id: w.ids.of('crm.price_level', g.code),
      name: g.code,
      transactionCurrencyId: null,
      beginDate: null,
      endDate: null,
      stateCode: PriceLevelState.ACTIVE,
      modifiedAt: times.crmModifiedAt,
      modifiedBy: w.team.integrationUserId,
    };
    w.erp.add(CustomerPriceGroup, group);
    w.crm.add(PriceLevel, priceLevel);
    w.coupler.couple('CUSTPRCGRP-PRICE', { id: group.systemId, record: group }, { id: priceLevel.id, record: priceLevel }, times);
    return { code: g.code, priceLevelId: priceLevel.id };
  });
}

/** The item sync's own price list, a finished campaign's list, and the write-in setup. */
function buildDefaultPriceLists(w: ReferenceWriters): string {
  const defaultList: PriceLevel = {
    id: w.ids.of('crm.price_level', 'BC Item Price List'),
    name: 'BC Item Price List',
    transactionCurrencyId: null,
    beginDate: null,
    endDate: null,
    stateCode: PriceLevelState.ACTIVE,
    modifiedAt: w.random.daysBeforeBase(400, 700),
    modifiedBy: w.team.integrationUserId,
  };
  w.crm.add(PriceLevel, defaultList);
  w.crm.add(PriceLevel, {
    id: w.ids.of('crm.price_level', 'Trade Fair 2025'),
    name: 'Trade Fair 2025',
    transactionCurrencyId: null,
    beginDate: '2025-03-01',
    endDate: '2025-03-31',
    stateCode: PriceLevelState.INACTIVE,
    modifiedAt: w.random.daysBeforeBase(250, 300),
    modifiedBy: w.team.adminUserId,
  });
  w.erp.add(SalesReceivablesSetup, {
    systemId: w.ids.of('erp.sales_receivables_setup', ''),
    primaryKey: '',
    writeInProductType: WriteInProductType.ITEM,
    writeInProductNo: WRITE_IN_ITEM_NO,
    modifiedAt: w.random.daysBeforeBase(400, 700),
    modifiedBy: ERP_DEMO_USER,
  });
  return defaultList.id;
}
