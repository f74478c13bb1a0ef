// The demo catalog's fabric lines (each in a few colours) and their care instructions.

export interface FabricLine {
  name: string
  category: string
  subcategory: string
  composition: string
  weight: string
  width: string
  priceCents: number
  blurb: string
  tags: string[]
  colours: string[]
}

export const CARE: Record<string, string> = {
  Linen: 'Machine wash at 40°C. Tumble dry low or line dry. Iron while damp on a hot setting.',
  Cotton: 'Machine wash at 30–40°C with similar colours. Line dry. Iron on a medium setting.',
  Silk: 'Hand wash cold or dry clean. Do not wring. Iron on a low setting, on the reverse.',
  Wool: 'Dry clean or hand wash cold with wool detergent. Dry flat. Steam press with a cloth.',
  Jersey: 'Machine wash at 30°C inside out. Dry flat; do not tumble dry. Cool iron if needed.',
  Denim: 'Wash inside out at 30°C, separately at first. Line dry. Iron on a hot setting.',
}

export const FABRIC_LINES: FabricLine[] = [
  {
    name: 'Washed Linen',
    category: 'Linen',
    subcategory: 'Washed linen',
    composition: '100% linen',
    weight: '185',
    width: '140',
    priceCents: 1850,
    blurb:
      'Stonewashed European linen with a soft, lived-in handle. Lovely for relaxed shirts, dresses and trousers.',
    tags: ['linen', 'dressmaking', 'natural fibre'],
    colours: ['Sage', 'Oatmeal', 'Terracotta', 'Midnight'],
  },
  {
    name: 'Linen Canvas',
    category: 'Linen',
    subcategory: 'Heavyweight linen',
    composition: '100% linen',
    weight: '320',
    width: '150',
    priceCents: 2400,
    blurb: 'A dense, hard-wearing linen canvas for workwear jackets, bags and upholstery.',
    tags: ['linen', 'canvas', 'homeware'],
    colours: ['Natural', 'Charcoal'],
  },
  {
    name: 'Linen Viscose Blend',
    category: 'Linen',
    subcategory: 'Linen blends',
    composition: '55% linen, 45% viscose',
    weight: '160',
    width: '140',
    priceCents: 1495,
    blurb:
      'The look of linen with extra drape and fewer creases. A favourite for wide-leg trousers.',
    tags: ['linen', 'viscose', 'drapey'],
    colours: ['Rust', 'Dusty Blue'],
  },
  {
    name: 'Liberty Tana Lawn',
    category: 'Cotton',
    subcategory: 'Lawn',
    composition: '100% cotton',
    weight: '70',
    width: '136',
    priceCents: 2750,
    blurb:
      'The classic fine, silky cotton lawn from Liberty, printed in England. Perfect for blouses and shirts.',
    tags: ['liberty', 'tana lawn', 'cotton', 'floral'],
    colours: ['Betsy', 'Capel', 'Wiltshire', 'Strawberry Thief'],
  },
  {
    name: 'Organic Cotton Poplin',
    category: 'Cotton',
    subcategory: 'Poplin',
    composition: '100% organic cotton (GOTS)',
    weight: '115',
    width: '145',
    priceCents: 1250,
    blurb:
      'A crisp, smooth GOTS-certified poplin that presses beautifully. Great for shirts and linings.',
    tags: ['cotton', 'organic', 'poplin'],
    colours: ['Indigo', 'Mustard', 'Blush'],
  },
  {
    name: 'Double Gauze',
    category: 'Cotton',
    subcategory: 'Double gauze',
    composition: '100% cotton',
    weight: '130',
    width: '135',
    priceCents: 1500,
    blurb: 'Two airy layers of gauze tacked together: soft, breathable and crinkly after washing.',
    tags: ['cotton', 'double gauze', 'babywear'],
    colours: ['Sand', 'Mint', 'Ochre'],
  },
  {
    name: 'Cotton Chambray',
    category: 'Cotton',
    subcategory: 'Chambray',
    composition: '100% cotton',
    weight: '140',
    width: '145',
    priceCents: 1375,
    blurb:
      'A light, denim-look chambray woven with a white weft. Ideal for shirts and summer dresses.',
    tags: ['cotton', 'chambray', 'shirting'],
    colours: ['Light Wash', 'Dark Wash'],
  },
  {
    name: 'Silk Crepe de Chine',
    category: 'Silk',
    subcategory: 'Crepe de chine',
    composition: '100% mulberry silk',
    weight: '80',
    width: '140',
    priceCents: 4200,
    blurb:
      'A fluid crepe de chine with a soft lustre. Cut on the bias for slip dresses and camisoles.',
    tags: ['silk', 'crepe de chine', 'occasionwear'],
    colours: ['Ivory', 'Emerald'],
  },
  {
    name: 'Silk Habotai',
    category: 'Silk',
    subcategory: 'Habotai',
    composition: '100% silk',
    weight: '45',
    width: '140',
    priceCents: 2200,
    blurb: 'A lightweight plain-weave silk for linings, scarves and silk painting.',
    tags: ['silk', 'lining'],
    colours: ['Champagne', 'Rose'],
  },
  {
    name: 'Silk Noil',
    category: 'Silk',
    subcategory: 'Noil',
    composition: '100% silk',
    weight: '140',
    width: '112',
    priceCents: 2950,
    blurb: 'A matte, slubby raw silk that behaves like a soft cotton. Wonderful for boxy tops.',
    tags: ['silk', 'noil', 'raw silk'],
    colours: ['Natural'],
  },
  {
    name: 'Merino Wool Suiting',
    category: 'Wool',
    subcategory: 'Suiting',
    composition: '100% merino wool',
    weight: '260',
    width: '150',
    priceCents: 3600,
    blurb:
      'A fine worsted merino suiting with a clean finish, for tailored trousers, skirts and blazers.',
    tags: ['wool', 'merino', 'tailoring'],
    colours: ['Charcoal', 'Navy'],
  },
  {
    name: 'Boiled Wool',
    category: 'Wool',
    subcategory: 'Coating',
    composition: '100% wool',
    weight: '450',
    width: '140',
    priceCents: 3250,
    blurb:
      'A felted wool that does not fray, so edges can be left raw. Warm and windproof for coats.',
    tags: ['wool', 'coating', 'outerwear'],
    colours: ['Camel', 'Forest'],
  },
  {
    name: 'Wool Tweed',
    category: 'Wool',
    subcategory: 'Tweed',
    composition: '100% wool',
    weight: '380',
    width: '150',
    priceCents: 3800,
    blurb: 'A traditional herringbone tweed woven in Scotland, for jackets, caps and waistcoats.',
    tags: ['wool', 'tweed', 'herringbone'],
    colours: ['Herringbone Grey'],
  },
  {
    name: 'Organic Cotton Jersey',
    category: 'Jersey',
    subcategory: 'Cotton jersey',
    composition: '95% organic cotton, 5% elastane',
    weight: '200',
    width: '160',
    priceCents: 1650,
    blurb: 'A stable single jersey with good recovery for T-shirts, leggings and kidswear.',
    tags: ['jersey', 'knit', 'organic'],
    colours: ['Heather Grey', 'Black', 'Breton Stripe'],
  },
  {
    name: 'Bamboo Jersey',
    category: 'Jersey',
    subcategory: 'Viscose jersey',
    composition: '95% bamboo viscose, 5% elastane',
    weight: '220',
    width: '150',
    priceCents: 1795,
    blurb: 'A silky, cool jersey with a beautiful drape for wrap dresses and loungewear.',
    tags: ['jersey', 'bamboo', 'loungewear'],
    colours: ['Teal', 'Plum'],
  },
  {
    name: 'Organic French Terry',
    category: 'Jersey',
    subcategory: 'Sweatshirting',
    composition: '100% organic cotton',
    weight: '280',
    width: '160',
    priceCents: 1950,
    blurb:
      'Loopback sweatshirting: smooth on the face, soft loops inside. For hoodies and joggers.',
    tags: ['jersey', 'french terry', 'sweatshirt'],
    colours: ['Oatmeal Marl', 'Olive'],
  },
  {
    name: 'Japanese Selvedge Denim',
    category: 'Denim',
    subcategory: 'Selvedge',
    composition: '100% cotton',
    weight: '400',
    width: '80',
    priceCents: 2800,
    blurb:
      'A 13 oz rope-dyed denim from Okayama with a red-line selvedge. Fades beautifully with wear.',
    tags: ['denim', 'selvedge', 'jeans'],
    colours: ['Raw Indigo'],
  },
  {
    name: 'Stretch Denim',
    category: 'Denim',
    subcategory: 'Stretch denim',
    composition: '98% cotton, 2% elastane',
    weight: '330',
    width: '150',
    priceCents: 1600,
    blurb: 'A 10 oz denim with a little stretch for comfortable skinny and straight-leg jeans.',
    tags: ['denim', 'stretch', 'jeans'],
    colours: ['Mid Blue', 'Black'],
  },
]

export const EXTRA_FABRIC_TAGS = ['dressmaking', 'sustainable', 'bestseller', 'new in', 'summer', 'winter']
