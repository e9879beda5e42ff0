/**
 * What `GET /api/meta/<resource>` says of a field, shared by the engine's FieldDef and the web's
 * Field. Nothing here imports anything: the web reads these types without the server's code.
 */

export type FieldKind =
  | 'text'
  | 'longtext'
  | 'int'
  | 'money'
  | 'bool'
  | 'date'
  | 'datetime'
  | 'enum'
  | 'ref'
  | 'password';

export type Option = { value: string | number; title: string; titleEn: string };

export type FieldFormat = 'phone' | 'qq' | 'wechat' | 'icon';

/** The part of a field the server declares and the web reads as it is. */
export type FieldDescription = {
  key: string;
  title: string;
  titleEn: string;
  kind: FieldKind;
  multiple?: boolean;
  options?: Option[];
  ref?: string;
  refLabel?: string;
  refValue?: string;
  /**
   * For a ref a form fills: more of its picker's query (`{ owners: 'true' }`: only staff who may
   * own customers), so the picker offers only what the server will take.
   */
  refParams?: Record<string, string>;
  required?: boolean;
  readOnly?: boolean;
  createOnly?: boolean;
  /** Whether the field may be cleared to null. */
  nullable?: boolean;
  maxLength?: number;
  min?: number;
  max?: number;
  /**
   * For a ref: the key of the presented object (or array of them) whose name or title shows it.
   * When absent the web guesses it from the key (`departmentId` → `department`, `roleIds` → `roles`).
   */
  display?: string;
  filter?: 'eq' | 'in' | 'range' | 'bool';
  /**
   * A text the web checks and shows in a particular way, beyond its kind: a phone number, a QQ
   * number or a WeChat id (modules/customers/contact-rules.ts, the same rules the API applies), or
   * the name of one of the web's menu icons.
   */
  format?: FieldFormat;
  /**
   * The code behind a label, shown to administrators in a tooltip and to nobody on screen: `true`
   * for an enum's own code, or the key of the field that holds the code (a role's `code`).
   */
  codeTip?: true | string;
};
