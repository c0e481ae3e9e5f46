export {
  loadRecording,
  type RecordedCall,
  type RpcRecording,
  RpcRecordingSchema,
} from './recording';
export {
  type ReceivedCall,
  type ReplayServer,
  type ReplayServerOptions,
  startReplayServer,
} from './replayServer';
