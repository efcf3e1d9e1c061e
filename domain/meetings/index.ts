/**
 * The steering group's meetings in Teams, the public face of `domain/meetings/`: the `Meeting`
 * record and its repository port, and what the start and end events do to it (`meeting.ts`).
 */
export {
  carryMeeting,
  endedMeeting,
  isRunning,
  MEETING_MAX_HOURS,
  runningMeeting,
  startedMeeting,
  UNTITLED_MEETING,
  type Meeting,
  type MeetingEvent,
  type MeetingParticipant,
  type MeetingRepository,
  type ParticipantsSource,
} from './meeting';
