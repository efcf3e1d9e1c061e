/** The check-in cards: the weekly card with its answer forms, and the pointer to this week's card. Code outside this folder imports them from here. */
export {
  CHECKIN_ACTIONS_PER_PAGE,
  checkInCard,
  checkInPageCount,
  checkInPointerCard,
  type CheckInCardOptions,
  type CheckInPointerView,
} from './checkin.card';
