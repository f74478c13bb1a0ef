// The demo customers' names and addresses, combined at random into 40 customers.

// prettier-ignore
export const FIRST_NAMES = [
  'Amelia', 'Olivia', 'Isla', 'Freya', 'Grace', 'Hannah', 'Ruth', 'Maeve', 'Siobhan', 'Aisha',
  'Fatima', 'Mei', 'Chloé', 'Léa', 'Anke', 'Sanne', 'Emily', 'Sarah', 'Jess', 'Rosa',
  'James', 'Oliver', 'Rahul', 'Daniel', 'Ewan', 'Niamh', 'Harriet', 'Zara', 'Lucy', 'Beth',
]
// prettier-ignore
export const LAST_NAMES = [
  'Taylor', 'Brown', 'Wilson', 'Evans', 'Hughes', 'Patel', 'Khan', "O'Connor", 'Murphy',
  'Campbell', 'Stewart', 'Okafor', 'Nowak', 'Martin', 'Dubois', 'Schmidt', 'de Vries',
  'Jenkins', 'Clarke', 'Lewis', 'Morgan', 'Chen', 'Ahmed', 'Walsh', 'Reid',
]
// prettier-ignore
export const STREETS = [
  'High Street', 'Church Lane', 'Station Road', 'Victoria Road', 'Mill Lane', 'Park Avenue',
  'Queen Street', 'Orchard Close', 'Kings Road', 'Meadow Way', 'Green Lane', 'Albert Terrace',
]

export interface Place {
  city: string
  region?: string
  postalCode: string
  country: string
  /** A local street where the house number follows the street name. */
  streetFirst?: string
  /** A local street where the house number comes first. */
  street?: string
}

// Most customers are in the UK; a few order from abroad.
export const PLACES: Place[] = [
  { city: 'Bristol', postalCode: 'BS6 5QA', country: 'GB' },
  { city: 'Bath', region: 'Somerset', postalCode: 'BA1 2LP', country: 'GB' },
  { city: 'Manchester', postalCode: 'M20 2RN', country: 'GB' },
  { city: 'Leeds', region: 'West Yorkshire', postalCode: 'LS6 3HN', country: 'GB' },
  { city: 'York', region: 'North Yorkshire', postalCode: 'YO1 7HH', country: 'GB' },
  { city: 'London', postalCode: 'E8 3PH', country: 'GB' },
  { city: 'London', postalCode: 'SE15 4QL', country: 'GB' },
  { city: 'Brighton', region: 'East Sussex', postalCode: 'BN1 4GH', country: 'GB' },
  { city: 'Norwich', region: 'Norfolk', postalCode: 'NR2 4TE', country: 'GB' },
  { city: 'Edinburgh', postalCode: 'EH6 6QU', country: 'GB' },
  { city: 'Glasgow', postalCode: 'G12 8QQ', country: 'GB' },
  { city: 'Cardiff', postalCode: 'CF10 1EP', country: 'GB' },
  { city: 'Totnes', region: 'Devon', postalCode: 'TQ9 5RY', country: 'GB' },
  { city: 'Cambridge', region: 'Cambridgeshire', postalCode: 'CB1 2LA', country: 'GB' },
  { city: 'Belfast', postalCode: 'BT7 1NN', country: 'GB' },
  { city: 'Dublin', region: 'Co. Dublin', postalCode: 'D08 T6YA', country: 'IE' },
  { city: 'Paris', postalCode: '75011', country: 'FR', street: 'rue Oberkampf' },
  { city: 'Utrecht', postalCode: '3511 LN', country: 'NL', streetFirst: 'Oudegracht' },
  { city: 'Berlin', postalCode: '10997', country: 'DE', streetFirst: 'Wrangelstraße' },
  {
    city: 'Portland',
    region: 'OR',
    postalCode: '97214',
    country: 'US',
    street: 'SE Hawthorne Blvd',
  },
]
export const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example.com']
