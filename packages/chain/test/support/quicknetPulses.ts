/** Real drand quicknet pulses (api.drand.sh, chain 52db9ba7…e971). */
export const QUICKNET_PULSES = [
  {
    round: 1000,
    signatureHex:
      'b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39',
  },
  {
    round: 2000,
    signatureHex:
      'b6cb8f482a0b15d45936a4c4ea08e98a087e71787caee3f4d07a8a9843b1bc5423c6b3c22f446488b3137eaca799c77e',
  },
] as const;
