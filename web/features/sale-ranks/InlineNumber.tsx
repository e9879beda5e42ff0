import { InputNumber } from 'antd';
import { useEffect, useRef, useState } from 'react';

type InlineNumberProps = {
  value: number;
  max: number;
  disabled: boolean;
  onSave: (value: number) => Promise<boolean>;
  label: string;
  testId: string;
};

/**
 * A whole number edited in its cell: saved when the user leaves the box or presses Enter, put back
 * when the server refuses it or the box is left empty.
 */
export function InlineNumber({ value, max, disabled, onSave, label, testId }: InlineNumberProps) {
  const [draft, setDraft] = useState<number | null>(value);
  // Enter and then leaving the box would save twice: one save at a time.
  const saving = useRef(false);
  useEffect(() => setDraft(value), [value]);

  const commit = async () => {
    if (saving.current) return;
    if (draft === null || draft === value) {
      setDraft(value);
      return;
    }
    saving.current = true;
    const saved = await onSave(draft);
    saving.current = false;
    if (!saved) setDraft(value);
  };

  return (
    <InputNumber
      value={draft}
      min={0}
      max={max}
      precision={0}
      disabled={disabled}
      onChange={(next) => setDraft(typeof next === 'number' ? next : null)}
      onBlur={() => void commit()}
      onPressEnter={() => void commit()}
      aria-label={label}
      style={{ width: 96 }}
      data-testid={testId}
    />
  );
}
