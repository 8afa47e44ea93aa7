// Builds the sample sales dataset from a fixed seed: the same rows (and the same file bytes) on every
// machine and every start. Rows are drawn in memory first (pure), then written in one transaction.
import { DatabaseSync } from 'node:sqlite';
import { COMPANY_TRADES, COMPANY_WORDS, COUNTRIES, FIRST_NAMES, LAST_NAMES, MONTH_FACTORS, SUBCATEGORIES } from './sample-sales-catalog.ts';
import { createRandom, type Random } from './sample-sales-random.ts';
import { SAMPLE_SALES_DDL, SAMPLE_SALES_VERSION } from './sample-sales-schema.ts';

export const SAMPLE_SALES_SEED = 20230101;
export const CUSTOMER_COUNT = 500;
export const ORDER_COUNT = 5_000;

const DAY_MS = 86_400_000;
const ORDERS_FROM = Date.UTC(2023, 0, 1);
const ORDER_DAYS = 731; // 2023-01-01 … 2024-12-31
const SIGNUPS_FROM = Date.UTC(2021, 0, 1);
const SIGNUP_DAYS = Math.round((Date.UTC(2024, 9, 31) - SIGNUPS_FROM) / DAY_MS) + 1;

type Segment = 'Consumer' | 'Small Business' | 'Enterprise';

export interface Product {
  product_id: number;
  sku: string;
  name: string;
  category: string;
  subcategory: string;
  unit_price: number;
  unit_cost: number;
  popularity: number;
}

export interface Customer {
  customer_id: number;
  name: string;
  email: string;
  segment: Segment;
  region: string;
  country: string;
  city: string;
  signup_date: string;
  signupTime: number;
  activity: number;
}

export interface Order {
  order_id: number;
  customer_id: number;
  order_date: string;
  status: string;
  channel: string;
  shipping_cost: number;
}

export interface OrderLine {
  order_line_id: number;
  order_id: number;
  product_id: number;
  quantity: number;
  unit_price: number;
  discount: number;
  line_total: number;
}

export interface SampleSalesRows {
  customers: Customer[];
  products: Product[];
  orders: Order[];
  orderLines: OrderLine[];
}

export interface SampleSalesCounts {
  customers: number;
  products: number;
  orders: number;
  orderLines: number;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;
const isoDate = (time: number): string => new Date(time).toISOString().slice(0, 10);
const asciiSlug = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '');

/** Index of the first cumulative weight above `r` (cumulative is ascending). */
function searchCumulative(cumulative: readonly number[], r: number, end = cumulative.length): number {
  let lo = 0;
  let hi = end - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** How many values of the ascending `sorted` are <= `value`. */
function countAtMost(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function cumulate(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}

function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function drawProducts(random: Random): Product[] {
  const products: Product[] = [];
  for (const sub of SUBCATEGORIES) {
    const combos = shuffle(sub.brands.flatMap((brand) => sub.models.map((model) => `${brand} ${model} ${sub.noun}`)), random);
    for (let i = 0; i < sub.count; i++) {
      const [low, high] = sub.price;
      // Log-uniform: catalogs have more cheap models than expensive ones.
      const raw = Math.exp(Math.log(low) + random.next() * (Math.log(high) - Math.log(low)));
      const price = raw >= 10 ? Math.floor(raw) + 0.99 : round2(raw);
      const popularity = (0.3 + random.next() * 1.7) * (price < 50 ? 2.5 : price < 300 ? 1.5 : 1);
      products.push({
        product_id: products.length + 1,
        sku: `${sub.code}-${String(i + 1).padStart(3, '0')}`,
        name: combos[i]!,
        category: sub.category,
        subcategory: sub.name,
        unit_price: price,
        unit_cost: round2(price * (0.45 + random.next() * 0.3)),
        popularity,
      });
    }
  }
  return products;
}

function drawCustomers(random: Random): Customer[] {
  const emails = new Set<string>();
  const businesses = new Set<string>();
  const unique = (set: Set<string>, base: string, join: string): string => {
    let candidate = base;
    for (let n = 2; set.has(candidate); n++) candidate = `${base}${join}${n}`;
    set.add(candidate);
    return candidate;
  };
  const countryChoices = COUNTRIES.map((c) => [c, c.weight] as const);
  const drawn = Array.from({ length: CUSTOMER_COUNT }, () => {
    const segment = random.weighted<Segment>([['Consumer', 50], ['Small Business', 35], ['Enterprise', 15]]);
    const country = random.weighted(countryChoices);
    let name: string;
    let email: string;
    if (segment === 'Consumer') {
      const first = random.pick(FIRST_NAMES);
      const last = random.pick(LAST_NAMES);
      name = `${first} ${last}`;
      email = `${unique(emails, asciiSlug(`${first} ${last}`), '')}@example.com`;
    } else {
      name = unique(businesses, `${random.pick(COMPANY_WORDS)} ${random.pick(COMPANY_TRADES)}`, ' ');
      email = unique(emails, `purchasing@${asciiSlug(name).replaceAll('.', '-')}.example`, '-');
    }
    // Most customers signed up before the order period; a steady trickle joins during it.
    const signupDay = random.chance(0.6) ? random.int(0, 729) : random.int(730, SIGNUP_DAYS - 1);
    const signupTime = SIGNUPS_FROM + signupDay * DAY_MS;
    const segmentFactor = segment === 'Enterprise' ? 3.5 : segment === 'Small Business' ? 1.8 : 1;
    return {
      customer_id: 0,
      name,
      email,
      segment,
      region: country.region,
      country: country.name,
      city: random.pick(country.cities),
      signup_date: isoDate(signupTime),
      signupTime,
      // A heavy tail: a few customers place many of the orders.
      activity: segmentFactor * (0.2 + random.next() ** 2 * 3),
    };
  });
  // Ids follow signup order, as they would in a real system.
  drawn.sort((a, b) => a.signupTime - b.signupTime);
  drawn.forEach((c, i) => (c.customer_id = i + 1));
  return drawn;
}

function dayWeights(): number[] {
  return Array.from({ length: ORDER_DAYS }, (_, day) => {
    const date = new Date(ORDERS_FROM + day * DAY_MS);
    const weekday = date.getUTCDay();
    const growth = 1 + (0.4 * day) / (ORDER_DAYS - 1);
    return growth * MONTH_FACTORS[date.getUTCMonth()]! * (weekday === 0 || weekday === 6 ? 0.75 : 1);
  });
}

function drawStatus(random: Random, day: number): string {
  const daysBeforeEnd = ORDER_DAYS - 1 - day;
  if (daysBeforeEnd < 7) return random.weighted([['processing', 60], ['shipped', 40]]);
  if (daysBeforeEnd < 14) return random.weighted([['shipped', 70], ['completed', 30]]);
  return random.weighted([['completed', 920], ['cancelled', 45], ['returned', 35]]);
}

function drawDiscount(random: Random, segment: Segment, month: number): number {
  if (segment === 'Enterprise') return random.weighted([[0.05, 30], [0.1, 35], [0.15, 25], [0.2, 10]]);
  if (segment === 'Small Business') return random.weighted([[0, 55], [0.05, 25], [0.1, 15], [0.15, 5]]);
  // November promotions for consumers.
  if (month === 10) return random.weighted([[0, 50], [0.1, 30], [0.15, 20]]);
  return random.weighted([[0, 80], [0.05, 12], [0.1, 8]]);
}

function drawQuantity(random: Random, segment: Segment, price: number): number {
  if (segment === 'Consumer') return price > 500 ? 1 : random.weighted([[1, 70], [2, 20], [3, 10]]);
  const quantity = segment === 'Enterprise' ? random.int(2, 20) : random.int(1, 6);
  return price > 500 ? Math.max(1, Math.ceil(quantity / 3)) : quantity;
}

/** Draws every row of the dataset from `seed` (pure: no I/O). */
export function drawSampleSales(seed = SAMPLE_SALES_SEED): SampleSalesRows {
  const random = createRandom(seed);
  const products = drawProducts(random);
  const customers = drawCustomers(random);
  const productCumulative = cumulate(products.map((p) => p.popularity));
  const customerCumulative = cumulate(customers.map((c) => c.activity));
  const signupTimes = customers.map((c) => c.signupTime);
  const dayCumulative = cumulate(dayWeights());
  const dayTotal = dayCumulative[dayCumulative.length - 1]!;
  const days = Array.from({ length: ORDER_COUNT }, () => searchCumulative(dayCumulative, random.next() * dayTotal)).sort((a, b) => a - b);

  const orders: Order[] = [];
  const orderLines: OrderLine[] = [];
  for (const day of days) {
    const time = ORDERS_FROM + day * DAY_MS;
    // Only customers who had signed up by the order date can order.
    const eligible = Math.max(1, countAtMost(signupTimes, time));
    const customer = customers[searchCumulative(customerCumulative, random.next() * customerCumulative[eligible - 1]!, eligible)]!;
    const orderId = orders.length + 1;
    const month = new Date(time).getUTCMonth();
    const lineCount = random.weighted([[1, 15], [2, 25], [3, 25], [4, 20], [5, 15]]);
    const chosen = new Set<number>();
    let subtotal = 0;
    for (let n = 0; n < lineCount; n++) {
      let product = products[searchCumulative(productCumulative, random.next() * productCumulative[productCumulative.length - 1]!)]!;
      for (let tries = 0; chosen.has(product.product_id) && tries < 10; tries++) {
        product = products[searchCumulative(productCumulative, random.next() * productCumulative[productCumulative.length - 1]!)]!;
      }
      if (chosen.has(product.product_id)) continue;
      chosen.add(product.product_id);
      const unitPrice = day < 365 ? round2(product.unit_price / 1.05) : product.unit_price;
      const quantity = drawQuantity(random, customer.segment, unitPrice);
      const discount = drawDiscount(random, customer.segment, month);
      const lineTotal = round2(quantity * unitPrice * (1 - discount));
      subtotal += lineTotal;
      orderLines.push({ order_line_id: orderLines.length + 1, order_id: orderId, product_id: product.product_id, quantity, unit_price: unitPrice, discount, line_total: lineTotal });
    }
    const channel =
      customer.segment === 'Consumer' ? random.weighted([['online', 75], ['retail', 25]]) : random.weighted([['online', 45], ['partner', 35], ['retail', 20]]);
    const shipping = channel === 'retail' || subtotal >= 500 ? 0 : random.pick([4.99, 7.99, 9.99, 14.99]);
    orders.push({ order_id: orderId, customer_id: customer.customer_id, order_date: isoDate(time), status: drawStatus(random, day), channel, shipping_cost: shipping });
  }
  return { customers, products, orders, orderLines };
}

/** Writes the dataset to a new SQLite file at `path` (which must not exist yet). */
export function writeSampleSales(path: string, rows: SampleSalesRows = drawSampleSales()): SampleSalesCounts {
  const db = new DatabaseSync(path);
  try {
    // A scratch file renamed into place only when complete: no journal needed.
    db.exec('PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;');
    db.exec(SAMPLE_SALES_DDL);
    db.exec('BEGIN');
    const insertCustomer = db.prepare('INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const c of rows.customers) insertCustomer.run(c.customer_id, c.name, c.email, c.segment, c.region, c.country, c.city, c.signup_date);
    const insertProduct = db.prepare('INSERT INTO products VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const p of rows.products) insertProduct.run(p.product_id, p.sku, p.name, p.category, p.subcategory, p.unit_price, p.unit_cost);
    const insertOrder = db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?)');
    for (const o of rows.orders) insertOrder.run(o.order_id, o.customer_id, o.order_date, o.status, o.channel, o.shipping_cost);
    const insertLine = db.prepare('INSERT INTO order_lines VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const l of rows.orderLines) insertLine.run(l.order_line_id, l.order_id, l.product_id, l.quantity, l.unit_price, l.discount, l.line_total);
    db.exec('COMMIT');
    db.exec(`ANALYZE; PRAGMA user_version = ${SAMPLE_SALES_VERSION};`);
  } finally {
    db.close();
  }
  return { customers: rows.customers.length, products: rows.products.length, orders: rows.orders.length, orderLines: rows.orderLines.length };
}
