/** The brief before the steering group's meeting as a card. Code outside this folder imports it from here. */
export { briefCard, briefTitle, MAX_BRIEF_ITEMS, type BriefCardView } from './brief.card';
