/**
 * The server's own contact rules (server/modules/customers/contact-rules.ts, a module with no imports
 * of its own), so that a form refuses exactly what the API and the import refuse, before sending.
 */
export {
  isQq,
  isWechat,
  type PhoneKind,
  phoneKind,
} from '../../../server/modules/customers/contact-rules.ts';
