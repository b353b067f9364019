import { AGREEMENT_CATEGORIES, categoryLabels, type AgreementCategory } from '../../../shared/agreements/categories';

interface CategoryChoice {
  value: AgreementCategory;
  onChange: (category: AgreementCategory) => void;
}

/** The agreement categories as a select, in the order and words of the agreements model. */
export function CategorySelect({ id, value, onChange }: CategoryChoice & { id?: string }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value as AgreementCategory)}>
      {AGREEMENT_CATEGORIES.map((c) => (
        <option key={c} value={c}>
          {categoryLabels[c]}
        </option>
      ))}
    </select>
  );
}

/** A form's category field: its label and the select, with the label's words the form's own. */
export function CategoryField({ id, label, value, onChange }: CategoryChoice & { id: string; label: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <CategorySelect id={id} value={value} onChange={onChange} />
    </div>
  );
}
