// The sample sales dataset's tables, and the words the model needs about them that a schema cannot say.
import type { DatasetAnnotations } from '../sqlite-dataset-source.ts';

/** Bump when the generator or schema changes: an existing file with another version is rebuilt at start. */
export const SAMPLE_SALES_VERSION = 1;
export const SAMPLE_SALES_FILE = 'sample-sales.db';
export const SAMPLE_SALES_NAME = 'Sample sales';
export const SAMPLE_SALES_TABLES = ['customers', 'products', 'orders', 'order_lines'] as const;
export const SAMPLE_SALES_SUMMARY =
  'Sample sales data of an office-equipment seller, 2023–2024: tables customers, products, orders and order_lines (order items with quantity, price, discount and line_total in USD).';

export const SAMPLE_SALES_DDL = `
CREATE TABLE customers (
  customer_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  segment TEXT NOT NULL,
  region TEXT NOT NULL,
  country TEXT NOT NULL,
  city TEXT NOT NULL,
  signup_date TEXT NOT NULL
);
CREATE TABLE products (
  product_id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  subcategory TEXT NOT NULL,
  unit_price REAL NOT NULL,
  unit_cost REAL NOT NULL
);
CREATE TABLE orders (
  order_id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(customer_id),
  order_date TEXT NOT NULL,
  status TEXT NOT NULL,
  channel TEXT NOT NULL,
  shipping_cost REAL NOT NULL
);
CREATE TABLE order_lines (
  order_line_id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders(order_id),
  product_id INTEGER NOT NULL REFERENCES products(product_id),
  quantity INTEGER NOT NULL,
  unit_price REAL NOT NULL,
  discount REAL NOT NULL,
  line_total REAL NOT NULL
);
CREATE INDEX orders_customer_id ON orders(customer_id);
CREATE INDEX orders_order_date ON orders(order_date);
CREATE INDEX order_lines_order_id ON order_lines(order_id);
CREATE INDEX order_lines_product_id ON order_lines(product_id);
`;

export const SAMPLE_SALES_ANNOTATIONS: DatasetAnnotations = {
  notes: [
    "Dates are ISO text (YYYY-MM-DD). Orders run from 2023-01-01 to 2024-12-31; group by month with strftime('%Y-%m', order_date).",
    'Money is in US dollars. Revenue is SUM(order_lines.line_total); line_total = quantity × unit_price × (1 − discount), rounded to cents. Leave out cancelled orders (and usually returned ones) when reporting revenue.',
    'Gross profit of a line is line_total − quantity × products.unit_cost. order_lines.unit_price is the price charged at the time (2023 prices were about 5% below the current products.unit_price).',
  ],
  tables: {
    customers: {
      description: 'One row per customer (a person or a business).',
      columns: {
        segment: "'Consumer', 'Small Business' or 'Enterprise'",
        region: "'North America', 'Europe', 'Asia Pacific' or 'Latin America'",
        signup_date: 'YYYY-MM-DD',
      },
    },
    products: {
      description: 'The product catalog with current list prices.',
      columns: {
        category: "'Electronics', 'Furniture', 'Office Supplies' or 'Software'",
        unit_price: 'current list price, USD',
        unit_cost: 'what one unit costs the seller, USD',
      },
    },
    orders: {
      description: 'One row per order.',
      columns: {
        order_date: 'YYYY-MM-DD',
        status: "'completed', 'shipped', 'processing', 'cancelled' or 'returned'",
        channel: "'online', 'retail' or 'partner'",
        shipping_cost: 'charged to the customer, USD, not part of line_total',
      },
    },
    order_lines: {
      description: 'The items of each order.',
      columns: {
        unit_price: 'price charged per unit, USD',
        discount: 'fraction, 0.1 = 10% off',
        line_total: 'quantity × unit_price × (1 − discount), USD',
      },
    },
  },
};
