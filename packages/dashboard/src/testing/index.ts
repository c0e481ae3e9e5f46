export {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  type LaunchedChromium,
  launchChromium,
} from './launchChromium';
