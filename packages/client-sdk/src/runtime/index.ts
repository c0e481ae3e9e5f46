export {
  type GenerateWithCondensedOptions,
  generateWithCondensed,
} from './generateWithCondensed';
