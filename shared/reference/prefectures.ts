/**
 * The 47 prefectures (都道府県) with their JIS X 0401 codes, hiragana readings and the usual
 * eight-region division (八地方区分). Facts, not statistics: they change only by law.
 */
export const REGIONS = {
  HOKKAIDO: '北海道地方',
  TOHOKU: '東北地方',
  KANTO: '関東地方',
  CHUBU: '中部地方',
  KINKI: '近畿地方',
  CHUGOKU: '中国地方',
  SHIKOKU: '四国地方',
  KYUSHU: '九州地方',
} as const;
export type Region = keyof typeof REGIONS;

export interface PrefectureReference {
  code: string;
  name: string;
  kana: string;
  region: Region;
}

const rows: Array<[string, string, Region]> = [
  ['北海道', 'ほっかいどう', 'HOKKAIDO'],
  ['青森県', 'あおもりけん', 'TOHOKU'],
  ['岩手県', 'いわてけん', 'TOHOKU'],
  ['宮城県', 'みやぎけん', 'TOHOKU'],
  ['秋田県', 'あきたけん', 'TOHOKU'],
  ['山形県', 'やまがたけん', 'TOHOKU'],
  ['福島県', 'ふくしまけん', 'TOHOKU'],
  ['茨城県', 'いばらきけん', 'KANTO'],
  ['栃木県', 'とちぎけん', 'KANTO'],
  ['群馬県', 'ぐんまけん', 'KANTO'],
  ['埼玉県', 'さいたまけん', 'KANTO'],
  ['千葉県', 'ちばけん', 'KANTO'],
  ['東京都', 'とうきょうと', 'KANTO'],
  ['神奈川県', 'かながわけん', 'KANTO'],
  ['新潟県', 'にいがたけん', 'CHUBU'],
  ['富山県', 'とやまけん', 'CHUBU'],
  ['石川県', 'いしかわけん', 'CHUBU'],
  ['福井県', 'ふくいけん', 'CHUBU'],
  ['山梨県', 'やまなしけん', 'CHUBU'],
  ['長野県', 'ながのけん', 'CHUBU'],
  ['岐阜県', 'ぎふけん', 'CHUBU'],
  ['静岡県', 'しずおかけん', 'CHUBU'],
  ['愛知県', 'あいちけん', 'CHUBU'],
  ['三重県', 'みえけん', 'KINKI'],
  ['滋賀県', 'しがけん', 'KINKI'],
  ['京都府', 'きょうとふ', 'KINKI'],
  ['大阪府', 'おおさかふ', 'KINKI'],
  ['兵庫県', 'ひょうごけん', 'KINKI'],
  ['奈良県', 'ならけん', 'KINKI'],
  ['和歌山県', 'わかやまけん', 'KINKI'],
  ['鳥取県', 'とっとりけん', 'CHUGOKU'],
  ['島根県', 'しまねけん', 'CHUGOKU'],
  ['岡山県', 'おかやまけん', 'CHUGOKU'],
  ['広島県', 'ひろしまけん', 'CHUGOKU'],
  ['山口県', 'やまぐちけん', 'CHUGOKU'],
  ['徳島県', 'とくしまけん', 'SHIKOKU'],
  ['香川県', 'かがわけん', 'SHIKOKU'],
  ['愛媛県', 'えひめけん', 'SHIKOKU'],
  ['高知県', 'こうちけん', 'SHIKOKU'],
  ['福岡県', 'ふくおかけん', 'KYUSHU'],
  ['佐賀県', 'さがけん', 'KYUSHU'],
  ['長崎県', 'ながさきけん', 'KYUSHU'],
  ['熊本県', 'くまもとけん', 'KYUSHU'],
  ['大分県', 'おおいたけん', 'KYUSHU'],
  ['宮崎県', 'みやざきけん', 'KYUSHU'],
  ['鹿児島県', 'かごしまけん', 'KYUSHU'],
  ['沖縄県', 'おきなわけん', 'KYUSHU'],
];

export const PREFECTURES: readonly PrefectureReference[] = rows.map(([name, kana, region], i) => ({
  code: String(i + 1).padStart(2, '0'),
  name,
  kana,
  region,
}));
