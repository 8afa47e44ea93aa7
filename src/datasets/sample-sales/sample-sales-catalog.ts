// The reference data the sample sales dataset is drawn from: places, names and the product catalog.

export interface Country {
  name: string;
  region: string;
  cities: readonly string[];
  /** Relative share of customers. */
  weight: number;
}

export const COUNTRIES: readonly Country[] = [
  { name: 'United States', region: 'North America', cities: ['New York', 'Chicago', 'Austin', 'Seattle', 'Atlanta', 'Denver'], weight: 26 },
  { name: 'Canada', region: 'North America', cities: ['Toronto', 'Vancouver', 'Montreal'], weight: 8 },
  { name: 'Mexico', region: 'North America', cities: ['Mexico City', 'Guadalajara', 'Monterrey'], weight: 5 },
  { name: 'United Kingdom', region: 'Europe', cities: ['London', 'Manchester', 'Edinburgh'], weight: 8 },
  { name: 'Germany', region: 'Europe', cities: ['Berlin', 'Munich', 'Hamburg'], weight: 7 },
  { name: 'France', region: 'Europe', cities: ['Paris', 'Lyon', 'Toulouse'], weight: 5 },
  { name: 'Spain', region: 'Europe', cities: ['Madrid', 'Barcelona', 'Valencia'], weight: 3 },
  { name: 'Netherlands', region: 'Europe', cities: ['Amsterdam', 'Rotterdam', 'Utrecht'], weight: 3 },
  { name: 'Sweden', region: 'Europe', cities: ['Stockholm', 'Gothenburg'], weight: 2 },
  { name: 'Italy', region: 'Europe', cities: ['Milan', 'Rome', 'Turin'], weight: 3 },
  { name: 'Japan', region: 'Asia Pacific', cities: ['Tokyo', 'Osaka', 'Nagoya'], weight: 6 },
  { name: 'Australia', region: 'Asia Pacific', cities: ['Sydney', 'Melbourne', 'Brisbane'], weight: 5 },
  { name: 'Singapore', region: 'Asia Pacific', cities: ['Singapore'], weight: 3 },
  { name: 'India', region: 'Asia Pacific', cities: ['Bengaluru', 'Mumbai', 'Pune'], weight: 4 },
  { name: 'South Korea', region: 'Asia Pacific', cities: ['Seoul', 'Busan'], weight: 2 },
  { name: 'Brazil', region: 'Latin America', cities: ['São Paulo', 'Rio de Janeiro', 'Curitiba'], weight: 5 },
  { name: 'Argentina', region: 'Latin America', cities: ['Buenos Aires', 'Córdoba'], weight: 2 },
  { name: 'Chile', region: 'Latin America', cities: ['Santiago', 'Valparaíso'], weight: 2 },
  { name: 'Colombia', region: 'Latin America', cities: ['Bogotá', 'Medellín'], weight: 1 },
];

export const FIRST_NAMES: readonly string[] = [
  'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Elijah', 'Sophia', 'Lucas', 'Mia', 'Mateo', 'Amelia', 'Levi',
  'Harper', 'Ethan', 'Isabella', 'James', 'Charlotte', 'Benjamin', 'Aria', 'Hiro', 'Yuki', 'Priya', 'Arjun',
  'Ananya', 'Wei', 'Mei', 'Jin', 'Sofia', 'Lukas', 'Hannah', 'Felix', 'Clara', 'Leon', 'Chloé', 'Hugo',
  'Lucía', 'Pablo', 'Giulia', 'Marco', 'Astrid', 'Erik', 'Camila', 'Diego', 'Valentina', 'Santiago', 'Grace',
  'Daniel', 'Zoe', 'Samuel', 'Nora', 'Omar', 'Layla', 'Ravi', 'Fatima', 'Tomás', 'Isla', 'Jack', 'Ruby',
];

export const LAST_NAMES: readonly string[] = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Garcia', 'Miller', 'Davis', 'Martinez', 'Lopez', 'Wilson',
  'Anderson', 'Taylor', 'Thomas', 'Moore', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark',
  'Tanaka', 'Suzuki', 'Sato', 'Patel', 'Sharma', 'Gupta', 'Chen', 'Wang', 'Kim', 'Park', 'Müller',
  'Schmidt', 'Fischer', 'Dubois', 'Moreau', 'Fernández', 'Rossi', 'Bianchi', 'Andersson', 'Nilsson',
  'Silva', 'Santos', 'Oliveira', 'Rodríguez', 'González', 'Walker', 'Hall', 'Young', 'King', 'Wright',
];

/** Words for business customer names: "<word> <trade>". */
export const COMPANY_WORDS: readonly string[] = [
  'Northwind', 'Blue Harbor', 'Summit', 'Evergreen', 'Ironwood', 'Bright Path', 'Cedar', 'Redstone',
  'Silverline', 'Pioneer', 'Granite', 'Lakeside', 'Horizon', 'Keystone', 'Maple Leaf', 'Atlas', 'Orchid',
  'Falcon', 'Riverbend', 'Sterling', 'Crescent', 'Oakridge', 'Nimbus', 'Copperfield', 'Westbrook', 'Tidewater',
];

export const COMPANY_TRADES: readonly string[] = [
  'Logistics', 'Consulting', 'Dental Group', 'Architects', 'Law Partners', 'Analytics', 'Design Studio',
  'Engineering', 'Health Clinic', 'Accounting', 'Media', 'Realty', 'Software', 'Foods', 'Manufacturing',
  'Capital', 'Labs', 'Outfitters', 'Travel', 'Education',
];

export interface Subcategory {
  category: string;
  name: string;
  code: string;
  /** List price range in USD. */
  price: readonly [number, number];
  /** Product name = "<brand> <model> <noun>". */
  brands: readonly string[];
  models: readonly string[];
  noun: string;
  /** How many products of this subcategory the catalog has (120 in all). */
  count: number;
}

export const SUBCATEGORIES: readonly Subcategory[] = [
  { category: 'Electronics', name: 'Laptops', code: 'EL-LAP', price: [749, 2399], brands: ['Aero', 'Nova', 'Vertex'], models: ['13', '14 Pro', '15', '16 Max', 'Air', 'Flex'], noun: 'Laptop', count: 12 },
  { category: 'Electronics', name: 'Monitors', code: 'EL-MON', price: [149, 899], brands: ['ClearView', 'Pixelon'], models: ['24"', '27"', '27" 4K', '32" 4K', '34" Curved', '38" Ultrawide'], noun: 'Monitor', count: 10 },
  { category: 'Electronics', name: 'Headphones', code: 'EL-AUD', price: [39, 349], brands: ['Sonora', 'Quietline'], models: ['Go', 'Studio', 'ANC', 'Pro', 'Sport'], noun: 'Headphones', count: 10 },
  { category: 'Electronics', name: 'Keyboards & Mice', code: 'EL-INP', price: [19, 169], brands: ['Keyla', 'Glide'], models: ['Compact', 'Mechanical', 'Wireless', 'Ergo', 'Slim'], noun: 'Keyboard', count: 9 },
  { category: 'Electronics', name: 'Cables & Adapters', code: 'EL-CAB', price: [8, 59], brands: ['Linkly'], models: ['USB-C 1m', 'USB-C 2m', 'HDMI 2m', 'USB-C Hub', 'DisplayPort 2m', 'Travel Adapter', 'Ethernet 5m'], noun: 'Cable', count: 7 },
  { category: 'Furniture', name: 'Office Chairs', code: 'FU-CHR', price: [129, 949], brands: ['Posture', 'Ergon'], models: ['Task', 'Mesh', 'Executive', 'Lumbar Plus', 'Task Pro'], noun: 'Chair', count: 9 },
  { category: 'Furniture', name: 'Desks', code: 'FU-DSK', price: [199, 1299], brands: ['Worksmith', 'Liftline'], models: ['Standing', 'Corner', 'Compact', 'Executive'], noun: 'Desk', count: 8 },
  { category: 'Furniture', name: 'Storage', code: 'FU-STO', price: [59, 449], brands: ['Stackwell'], models: ['2-Drawer', '3-Drawer', 'Bookcase', 'Mobile Pedestal', 'Locker', 'Filing'], noun: 'Cabinet', count: 6 },
  { category: 'Furniture', name: 'Lighting', code: 'FU-LGT', price: [24, 189], brands: ['Lumo'], models: ['Desk', 'Floor', 'Clamp', 'LED Bar', 'Arc', 'Smart'], noun: 'Lamp', count: 6 },
  { category: 'Office Supplies', name: 'Paper', code: 'OS-PAP', price: [5, 45], brands: ['Brightleaf'], models: ['A4 Ream', 'Letter Ream', 'Recycled Ream', 'Cardstock', 'Sticky Notes', 'Legal Pads', 'Notebooks'], noun: 'Pack', count: 7 },
  { category: 'Office Supplies', name: 'Writing Instruments', code: 'OS-WRI', price: [3, 39], brands: ['Inkwell'], models: ['Gel', 'Ballpoint', 'Fountain', 'Highlighter', 'Marker', 'Rollerball', 'Mechanical Pencil'], noun: 'Pen Set', count: 7 },
  { category: 'Office Supplies', name: 'Binders & Folders', code: 'OS-BIN', price: [4, 29], brands: ['Keepsafe'], models: ['Ring Binder', 'Expanding', 'Presentation', 'Hanging', 'Archive'], noun: 'Folder', count: 5 },
  { category: 'Office Supplies', name: 'Desk Accessories', code: 'OS-ACC', price: [9, 79], brands: ['Tidy'], models: ['Organizer', 'Monitor Riser', 'Cable Tray', 'Desk Mat', 'Whiteboard', 'Footrest', 'Drawer Insert'], noun: 'Set', count: 7 },
  { category: 'Software', name: 'Productivity', code: 'SW-PRD', price: [99, 499], brands: ['Officio', 'Planwise'], models: ['Personal', 'Business', 'Business Premium', 'Teams'], noun: 'Annual License', count: 7 },
  { category: 'Software', name: 'Security', code: 'SW-SEC', price: [49, 299], brands: ['Shieldly'], models: ['Antivirus', 'Endpoint', 'VPN', 'Password Manager', 'Backup', 'Email Filter'], noun: 'Annual License', count: 6 },
  { category: 'Software', name: 'Design Tools', code: 'SW-DSN', price: [199, 899], brands: ['Canvasio'], models: ['Photo', 'Vector', 'Video', 'Suite'], noun: 'Annual License', count: 4 },
];

/** Seasonality of order volume by month (January = index 0). */
export const MONTH_FACTORS: readonly number[] = [0.8, 0.85, 0.95, 0.95, 1.0, 0.95, 0.9, 0.9, 1.05, 1.1, 1.35, 1.5];
