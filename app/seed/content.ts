// The demo content calendar's post ideas and the hashtags added to them at random.

export interface Idea {
  title: string
  description: string
  hashtags: string[]
}

export const IDEAS: Idea[] = [
  {
    title: 'New in: Washed Linen — Sage',
    description: 'Flat lay of the new sage linen with thread and buttons to match.',
    hashtags: ['linen', 'newin'],
  },
  {
    title: 'Liberty Tana Lawn restock',
    description: 'Betsy and Capel are back. Close-ups of the prints and a folded stack.',
    hashtags: ['liberty', 'tanalawn'],
  },
  {
    title: 'Sewing tip: pre-wash your linen',
    description: 'Why linen shrinks and how to pre-wash it before cutting.',
    hashtags: ['sewingtips', 'linen'],
  },
  {
    title: 'Behind the scenes: the cutting table',
    description: 'A morning of cutting and folding orders, sped up.',
    hashtags: ['behindthescenes', 'smallbusiness'],
  },
  {
    title: 'Customer make: linen wide-leg trousers',
    description: "Sharing a customer's trousers in terracotta linen (with permission).",
    hashtags: ['customermakes', 'memade'],
  },
  {
    title: 'Fabric guide: which jersey for which project?',
    description: 'Cotton, bamboo and French terry compared: stretch, drape and weight.',
    hashtags: ['jersey', 'fabricguide'],
  },
  {
    title: 'Silk care in 30 seconds',
    description: 'Hand-washing silk crepe de chine without fear.',
    hashtags: ['silk', 'fabriccare'],
  },
  {
    title: 'Autumn wool edit',
    description: 'Boiled wool, merino suiting and tweed for coat season.',
    hashtags: ['wool', 'coatmaking'],
  },
  {
    title: 'Selvedge denim up close',
    description: 'The red-line selvedge and the rope-dyed indigo, in macro.',
    hashtags: ['denim', 'selvedge'],
  },
  {
    title: 'Pattern pairing: the boxy tee in silk noil',
    description: 'Our favourite beginner pattern and how much silk noil you need.',
    hashtags: ['patternpairing', 'silknoil'],
  },
  {
    title: 'Swatch Saturday',
    description: 'A poll: which new colourway should we stock next?',
    hashtags: ['swatches', 'colour'],
  },
  {
    title: 'Double gauze baby blankets',
    description: 'A quick make for a new arrival, with double gauze in mint and sand.',
    hashtags: ['doublegauze', 'babymakes'],
  },
  {
    title: 'How we fold and post your fabric',
    description: 'Tissue, string and plastic-free packaging, step by step.',
    hashtags: ['plasticfree', 'smallbusiness'],
  },
  {
    title: 'Meet the team: Priya',
    description: 'Priya on her favourite fabric and her first ever make.',
    hashtags: ['meettheteam', 'smallbusiness'],
  },
  {
    title: 'Organic poplin shirts for summer',
    description: 'Three shirt patterns that shine in organic cotton poplin.',
    hashtags: ['organiccotton', 'shirtmaking'],
  },
  {
    title: 'Last chance: Strawberry Thief',
    description: 'Only a few metres left of the Liberty classic.',
    hashtags: ['liberty', 'lastchance'],
  },
  {
    title: 'Sewing tip: cutting slippery silk',
    description: 'Tissue paper, weights and a rotary cutter: our silk cutting kit.',
    hashtags: ['sewingtips', 'silk'],
  },
  {
    title: 'Mood board: earthy linen palette',
    description: 'Sage, oatmeal, terracotta and rust together.',
    hashtags: ['moodboard', 'linen'],
  },
  {
    title: 'Workshop: make a tote in linen canvas',
    description: 'Sign-ups open for our Saturday beginner workshop.',
    hashtags: ['sewingworkshop', 'linencanvas'],
  },
  {
    title: 'Stretch denim jeans sew-along',
    description: 'Week one of the jeans sew-along: choosing your size.',
    hashtags: ['sewalong', 'jeansmaking'],
  },
  {
    title: 'Bamboo jersey wrap dress',
    description: 'The plum bamboo jersey made up into a wrap dress.',
    hashtags: ['bamboojersey', 'dressmaking'],
  },
  {
    title: 'What is fabric weight (gsm)?',
    description: 'A quick explainer on gsm and how it feels in the hand.',
    hashtags: ['fabricguide', 'sewingtips'],
  },
  {
    title: 'French terry hoodie season',
    description: 'Oatmeal marl and olive French terry with matching ribbing.',
    hashtags: ['frenchterry', 'hoodie'],
  },
  {
    title: 'Our sustainability promise',
    description: 'Deadstock, organic and GOTS: what the labels mean in our shop.',
    hashtags: ['sustainablefabric', 'slowfashion'],
  },
  {
    title: 'Chambray shirt inspiration',
    description: 'Light wash and dark wash chambray on the cutting table.',
    hashtags: ['chambray', 'shirtmaking'],
  },
  {
    title: 'Quick reel: rolling a bolt of tweed',
    description: 'The satisfying sound of herringbone tweed coming off the roll.',
    hashtags: ['tweed', 'wool'],
  },
  {
    title: 'Customer make: silk slip dress',
    description: 'A bias-cut slip in emerald crepe de chine, from one of our regulars.',
    hashtags: ['customermakes', 'silk'],
  },
  {
    title: 'Pinboard: linen summer wardrobe',
    description: 'Ten linen makes for a capsule summer wardrobe.',
    hashtags: ['capsulewardrobe', 'linen'],
  },
  {
    title: 'Weekend opening hours',
    description: 'Reminder of our Saturday studio hours for collections.',
    hashtags: ['shoplocal', 'smallbusiness'],
  },
  {
    title: 'Thank you: 3,000 followers',
    description: 'A thank-you post with a small giveaway of fat quarters.',
    hashtags: ['giveaway', 'thankyou'],
  },
]

export const GENERAL_HASHTAGS = [
  'sewing',
  'fabricshop',
  'sewersofinstagram',
  'handmadewardrobe',
  'isew',
  'fabric',
]
