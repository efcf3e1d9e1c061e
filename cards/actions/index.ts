/** The action cards: the team's action list, and the add/edit form with the card shown after saving. Code outside this folder imports them from here. */
export { dueText, goalText } from './action-text';
export {
  actionEditButtons,
  actionEditCard,
  actionSavedCard,
  type ActionEditView,
  type ActionSavedView,
} from './edit.card';
export { ACTIONS_PER_PAGE, actionListCard, type ActionListItem, type ActionListView } from './list.card';
