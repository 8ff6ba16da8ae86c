import { useState, type KeyboardEvent } from 'react';
import { tagSchema } from '../../../../shared/reviewSets';

/**
 * The small editors the keys open: a custom tag (t) and a note (n). Enter saves a tag, Ctrl+Enter a
 * note (Enter is a new line there); Escape leaves without saving. Focus comes here when one opens and
 * goes back to the item list when it closes (the view does that).
 */
export function NewTagEditor({ onSave, onCancel, disabled }: { onSave: (tag: string) => void; onCancel: () => void; disabled: boolean }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  function save() {
    const parsed = tagSchema.safeParse(text);
    if (!parsed.success) {
      setProblem('A tag is 1 to 40 lower-case letters, digits or dashes, starting with a letter or digit (e.g. "hot" or "follow-up").');
      return;
    }
    onSave(parsed.data);
  }
  return (
    <div className="review-editor">
      <label htmlFor="review-new-tag">New tag</label>{' '}
      <input
        id="review-new-tag"
        value={text}
        maxLength={40}
        autoFocus
        autoComplete="off"
        aria-invalid={problem !== null}
        aria-describedby={problem !== null ? 'review-new-tag-error' : 'review-new-tag-help'}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => onEditorKey(e, save, onCancel, false)}
      />{' '}
      <SaveOrCancel label="Add tag" onSave={save} onCancel={onCancel} disabled={disabled} />
      {problem !== null ? (
        <p id="review-new-tag-error" className="field-error" role="alert">
          {problem}
        </p>
      ) : (
        <p id="review-new-tag-help" className="field-help">
          Enter adds it, Escape cancels.
        </p>
      )}
    </div>
  );
}

export function NoteEditor({ initial, label, onSave, onCancel, disabled }: { initial: string; label: string; onSave: (note: string) => void; onCancel: () => void; disabled: boolean }) {
  const [text, setText] = useState(initial);
  const save = () => onSave(text.trim());
  return (
    <div className="review-editor">
      <label htmlFor="review-note">{label}</label>
      <textarea
        id="review-note"
        value={text}
        maxLength={4_000}
        autoFocus
        aria-describedby="review-note-help"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => onEditorKey(e, save, onCancel, true)}
      />
      <p id="review-note-help" className="field-help">
        Ctrl+Enter saves, Escape cancels. An empty note clears it.
      </p>
      <SaveOrCancel label="Save note" onSave={save} onCancel={onCancel} disabled={disabled} />
    </div>
  );
}

function onEditorKey(event: KeyboardEvent, save: () => void, cancel: () => void, multiline: boolean) {
  if (event.key === 'Escape') {
    event.preventDefault();
    cancel();
  } else if (event.key === 'Enter' && (!multiline || event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    save();
  }
}

function SaveOrCancel({ label, onSave, onCancel, disabled }: { label: string; onSave: () => void; onCancel: () => void; disabled: boolean }) {
  return (
    <>
      <button type="button" onClick={onSave} disabled={disabled}>
        {label}
      </button>{' '}
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </>
  );
}
