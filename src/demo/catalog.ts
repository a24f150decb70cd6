import { Product, ProductState, ProductType } from '../../entities/crm/product.entity';
import { ProductPriceLevel, QuantitySellingOption } from '../../entities/crm/product-price-level.entity';
import { Item, ItemType } from '../../entities/erp/item.entity';
import { Resource, ResourceType } from '../../entities/erp/resource.entity';
import { SalesLineType } from '../../entities/erp/sales-line.entity';
import { SalesPrice, SalesType } from '../../entities/erp/sales-price.entity';
import { type Coupler, syncedToCrm } from './couplings';
import type { DemoNumbers } from './demo-numbers';
import { type DemoIds, type DemoRandom, roundAmount } from './random-company';
import { type CurrencyRef, type ReferenceData, type UnitRef, WRITE_IN_ITEM_NO } from './reference-data';
import { ERP_DEMO_USER, type SalesTeam } from './sales-team';
import type { StoreBatch } from './store-batch';

/** What a document line needs to know about an item or resource it sells. */
export interface Sellable {
  readonly type: SalesLineType.ITEM | SalesLineType.RESOURCE;
  readonly no: string;
  readonly description: string;
  readonly unitPrice: number;
  readonly unitCode: string;
  /** The coupled CRM product and the unit of its unit group; null when only the ERP has the record. */
  readonly productId: string | null;
  readonly unitId: string | null;
}

export const ITEM_BATCH_SIZE = 5_000;

export function itemCount(customers: number): number {
  return Math.max(20, Math.round(customers / 3));
}

export function resourceCount(customers: number): number {
  return Math.min(30, Math.max(10, Math.round(customers / 100)));
}

export interface CatalogWriters {
  readonly erp: StoreBatch;
  readonly crm: StoreBatch;
  readonly coupler: Coupler;
}

interface CatalogContext {
  readonly random: DemoRandom;
  readonly ids: DemoIds;
  readonly numbers: DemoNumbers;
  readonly team: SalesTeam;
  readonly reference: ReferenceData;
  readonly customers: number;
}

interface PriceRule {
  readonly salesType: SalesType;
  readonly salesCode: string;
  readonly minimumQuantity: number;
  readonly currency: CurrencyRef | null;
  readonly discount: number;
}

const machines = ['Forklift', 'Mobile crane', 'Delivery van', 'Laser cutter', 'Pallet truck', 'Scissor lift'];

/**
 * Items, resources, their CRM products, special sales prices and CRM price list items. The
 * catalogue keeps only what document lines need, so it stays small even for a million customers.
 */
export class Catalog {
  readonly items: Sellable[] = [];
  /** Items a CRM salesperson can pick from the product catalogue. */
  readonly coupledItems: Sellable[] = [];
  readonly resources: Sellable[] = [];
  private readonly itemNoWidth: number;

  constructor(private readonly ctx: CatalogContext) {
    this.itemNoWidth = Math.max(5, String(itemCount(ctx.customers)).length);
  }

  buildResources(w: CatalogWriters): void {
    const { random, ids } = this.ctx;
    const count = resourceCount(this.ctx.customers);
    for (let index = 0; index < count; index += 1) {
      const type = random.chance(0.7) ? ResourceType.PERSON : ResourceType.MACHINE;
      const unitPrice = type === ResourceType.PERSON ? random.amount(80, 180) : random.amount(200, 1500);
      const no = `R${String(index + 1).padStart(3, '0')}`;
      const resource: Resource = {
        systemId: ids.of('erp.resource', no),
        no,
        name: type === ResourceType.PERSON ? random.faker.person.fullName() : `${random.pick(machines)} ${index + 1}`,
        type,
        baseUnitOfMeasure: type === ResourceType.PERSON ? 'HOUR' : 'DAY',
        unitPrice,
        unitCost: roundAmount(unitPrice * random.faker.number.float({ min: 0.5, max: 0.7 })),
        blocked: false,
        modifiedAt: random.daysBeforeBase(200, 600),
        modifiedBy: ERP_DEMO_USER,
      };
      w.erp.add(Resource, resource);
      const unit = this.unit(resource.baseUnitOfMeasure);
      // Every tenth resource is not in the CRM yet.
      const product =
        index % 10 === 9
          ? null
          : this.syncedProduct(w, { id: resource.systemId, record: resource }, 'RESOURCE-PRODUCT', {
              productNumber: resource.no,
              name: resource.name,
              productTypeCode: ProductType.SERVICES,
              unit,
              price: resource.unitPrice,
              standardCost: resource.unitCost,
              quantityOnHand: 0,
              modifiedAt: resource.modifiedAt,
            });
      this.resources.push({
        type: SalesLineType.RESOURCE,
        no: resource.no,
        description: resource.name,
        unitPrice: resource.unitPrice,
        unitCode: resource.baseUnitOfMeasure,
        productId: product?.id ?? null,
        unitId: product ? unit.crmUnitId : null,
      });
    }
    this.crmOnlyProduct(w, 'SRV-TRAINING', 'On-site training day', ProductType.SERVICES, 'DAY');
    this.crmOnlyProduct(w, 'SRV-SUPPORT', 'Premium support plan', ProductType.SERVICES, 'HOUR');
    this.crmOnlyProduct(w, 'FREIGHT', 'Freight charge', ProductType.MISCELLANEOUS_CHARGES, 'PCS');
    this.crmOnlyProduct(w, 'INSTALLATION', 'Installation fee', ProductType.FLAT_FEES, 'PCS');
    // The item Business Central puts on CRM write-in lines; it is not sold from the catalogue.
    w.erp.add(Item, {
      systemId: ids.of('erp.item', WRITE_IN_ITEM_NO),
      no: WRITE_IN_ITEM_NO,
      description: 'Write-in product',
      type: ItemType.NON_INVENTORY,
      baseUnitOfMeasure: 'PCS',
      unitPrice: 0,
      unitCost: 0,
      inventory: 0,
      blocked: false,
      modifiedAt: random.daysBeforeBase(400, 700),
      modifiedBy: ERP_DEMO_USER,
    });
  }

  /** Items [first, first + count): about 88 % coupled to products, a few products only in the CRM, and their prices. */
  buildItems(first: number, count: number, w: CatalogWriters): void {
    const { random } = this.ctx;
    for (let index = first; index < first + count; index += 1) {
      const type = random.weighted([
        [ItemType.INVENTORY, 85],
        [ItemType.NON_INVENTORY, 10],
        [ItemType.SERVICE, 5],
      ] as const);
      const baseUnitOfMeasure =
        type === ItemType.SERVICE
          ? 'HOUR'
          : type === ItemType.NON_INVENTORY
            ? 'PCS'
            : random.weighted([
                ['PCS', 50],
                ['BOX', 20],
                ['SET', 10],
                ['KG', 10],
                ['L', 5],
                ['M', 5],
              ] as const);
      const unitPrice = random.amount(5, 2500);
      const no = this.itemNo(index);
      const item: Item = {
        systemId: this.ctx.ids.of('erp.item', no),
        no,
        description: random.faker.commerce.productName(),
        type,
        baseUnitOfMeasure,
        unitPrice,
        unitCost: roundAmount(unitPrice * random.faker.number.float({ min: 0.45, max: 0.8 })),
        inventory: type === ItemType.INVENTORY ? random.int(0, 800) : 0,
        blocked: random.chance(0.02),
        modifiedAt: random.daysBeforeBase(30, 600),
        modifiedBy: ERP_DEMO_USER,
      };
      w.erp.add(Item, item);
      const unit = this.unit(item.baseUnitOfMeasure);
      const product = random.chance(0.88)
        ? this.syncedProduct(w, { id: item.systemId, record: item }, 'ITEM-PRODUCT', {
            productNumber: item.no,
            name: item.description,
            productTypeCode: ProductType.SALES_INVENTORY,
            unit,
            price: item.unitPrice,
            standardCost: item.unitCost,
            quantityOnHand: item.inventory,
            modifiedAt: item.modifiedAt,
          })
        : null;
      const sellable: Sellable = {
        type: SalesLineType.ITEM,
        no: item.no,
        description: item.description,
        unitPrice: item.unitPrice,
        unitCode: item.baseUnitOfMeasure,
        productId: product?.id ?? null,
        unitId: product ? unit.crmUnitId : null,
      };
      this.items.push(sellable);
      if (product && !item.blocked) this.coupledItems.push(sellable);
      if (random.chance(0.35)) this.buildSalesPrices(w, item, sellable);
    }
    const crmOnly = Math.round(count * 0.04);
    for (let index = 0; index < crmOnly; index += 1) {
      const unitCode = random.pick(['PCS', 'BOX', 'SET', 'KG']);
      this.crmOnlyProduct(w, `CRM-${this.itemNo(first + index)}`, random.faker.commerce.productName(), ProductType.SALES_INVENTORY, unitCode);
    }
  }

  private itemNo(index: number): string {
    return `I${String(index + 1).padStart(this.itemNoWidth, '0')}`;
  }

  private unit(code: string): UnitRef {
    const unit = this.ctx.reference.units.get(code);
    if (!unit) throw new Error(`Unknown demo unit of measure ${code}`);
    return unit;
  }

  /** A product the item or resource sync created, with its entry in the sync's default price list. */
  private syncedProduct(
    w: CatalogWriters,
    erp: { id: string; record: Item | Resource },
    mappingName: 'ITEM-PRODUCT' | 'RESOURCE-PRODUCT',
    fields: {
      productNumber: string;
      name: string;
      productTypeCode: ProductType;
      unit: UnitRef;
      price: number;
      standardCost: number;
      quantityOnHand: number;
      modifiedAt: Date;
    },
  ): Product {
    const { random, ids, team, reference } = this.ctx;
    const times = syncedToCrm(random, fields.modifiedAt);
    const product: Product = {
      id: ids.of('crm.product', fields.productNumber),
      productNumber: fields.productNumber,
      name: fields.name,
      productTypeCode: fields.productTypeCode,
      defaultUnitGroupId: fields.unit.crmUnitGroupId,
      defaultUnitId: fields.unit.crmUnitId,
      priceLevelId: reference.defaultPriceLevelId,
      price: fields.price,
      standardCost: fields.standardCost,
      quantityOnHand: fields.quantityOnHand,
      stateCode: ProductState.ACTIVE,
      modifiedAt: times.crmModifiedAt,
      modifiedBy: team.integrationUserId,
    };
    w.crm.add(Product, product);
    w.crm.add(ProductPriceLevel, {
      id: ids.of('crm.product_price_level', `${reference.defaultPriceLevelId}/${product.productNumber}`),
      priceLevelId: reference.defaultPriceLevelId,
      productId: product.id,
      unitId: fields.unit.crmUnitId,
      transactionCurrencyId: null,
      amount: fields.price,
      quantitySellingCode: QuantitySellingOption.NO_CONTROL,
      minimumQuantity: 0,
      modifiedAt: times.crmModifiedAt,
      modifiedBy: team.integrationUserId,
    });
    w.coupler.couple(mappingName, erp, { id: product.id, record: product }, times);
    return product;
  }

  private crmOnlyProduct(w: CatalogWriters, productNumber: string, name: string, productTypeCode: ProductType, unitCode: string): void {
    const { random, ids, team } = this.ctx;
    const unit = this.unit(unitCode);
    const price = random.amount(10, 900);
    w.crm.add(Product, {
      id: ids.of('crm.product', productNumber),
      productNumber,
      name,
      productTypeCode,
      defaultUnitGroupId: unit.crmUnitGroupId,
      defaultUnitId: unit.crmUnitId,
      priceLevelId: null,
      price,
      standardCost: roundAmount(price * 0.6),
      quantityOnHand: productTypeCode === ProductType.SALES_INVENTORY ? random.int(0, 300) : 0,
      stateCode: random.weighted([
        [ProductState.ACTIVE, 60],
        [ProductState.DRAFT, 30],
        [ProductState.RETIRED, 10],
      ] as const),
      modifiedAt: random.daysBeforeBase(30, 400),
      modifiedBy: random.pick(team.crmUserIds),
    });
  }

  /**
   * One to three special prices: mostly per customer price group (the ones the price mapping syncs),
   * some per customer or for all customers, some with a minimum quantity or in a foreign currency.
   */
  private buildSalesPrices(w: CatalogWriters, item: Item, sellable: Sellable): void {
    const { random, ids, numbers, reference, team } = this.ctx;
    const group = (code: string, minimumQuantity: number, discount: number, currency: CurrencyRef | null = null): PriceRule => ({
      salesType: SalesType.CUSTOMER_PRICE_GROUP,
      salesCode: code,
      minimumQuantity,
      currency,
      discount,
    });
    const exportCurrency = random.chance(0.5) ? random.pick(reference.currencies.iso) : null;
    const rules: PriceRule[] = [
      group('RETAIL', 0, 0.95),
      group('WHOLESALE', 0, 0.85),
      group('WHOLESALE', 25, 0.8),
      group('EXPORT', 0, 0.9, exportCurrency),
      group('VIP', 0, 0.8),
      {
        salesType: SalesType.CUSTOMER,
        salesCode: numbers.customer(random.int(0, this.ctx.customers - 1)),
        minimumQuantity: 0,
        currency: null,
        discount: 0.88,
      },
      { salesType: SalesType.ALL_CUSTOMERS, salesCode: '', minimumQuantity: 100, currency: null, discount: 0.92 },
    ];
    for (const rule of random.faker.helpers.arrayElements(rules, { min: 1, max: 3 })) {
      const startingDate = random.chance(0.3) ? '2025-01-01' : null;
      const price: SalesPrice = {
        systemId: ids.of('erp.sales_price', `${item.no}/${rule.salesType}/${rule.salesCode}/${rule.minimumQuantity}`),
        itemNo: item.no,
        salesType: rule.salesType,
        salesCode: rule.salesCode,
        currencyCode: rule.currency?.code ?? null,
        startingDate,
        endingDate: startingDate && random.chance(0.5) ? '2026-12-31' : null,
        unitOfMeasureCode: item.baseUnitOfMeasure,
        minimumQuantity: rule.minimumQuantity,
        unitPrice: roundAmount(item.unitPrice * rule.discount * (rule.currency?.exchangeRate ?? 1)),
        modifiedAt: random.daysBeforeBase(30, 400),
        modifiedBy: ERP_DEMO_USER,
      };
      w.erp.add(SalesPrice, price);
      const priceGroup = reference.priceGroups.find((g) => g.code === rule.salesCode);
      // Only group prices are in the mapping's filter; a few of those are not synced yet.
      if (rule.salesType !== SalesType.CUSTOMER_PRICE_GROUP || !priceGroup || sellable.productId === null || !random.chance(0.95)) continue;
      const times = syncedToCrm(random, price.modifiedAt);
      const priceListItem: ProductPriceLevel = {
        id: ids.of('crm.product_price_level', `${priceGroup.priceLevelId}/${item.no}/${rule.minimumQuantity}`),
        priceLevelId: priceGroup.priceLevelId,
        productId: sellable.productId,
        unitId: sellable.unitId,
        transactionCurrencyId: rule.currency?.crmId ?? null,
        amount: price.unitPrice,
        quantitySellingCode: QuantitySellingOption.NO_CONTROL,
        minimumQuantity: price.minimumQuantity,
        modifiedAt: times.crmModifiedAt,
        modifiedBy: team.integrationUserId,
      };
      w.crm.add(ProductPriceLevel, priceListItem);
      w.coupler.couple('SALESPRC-PRODPRICE', { id: price.systemId, record: price }, { id: priceListItem.id, record: priceListItem }, times);
    }
  }
}
