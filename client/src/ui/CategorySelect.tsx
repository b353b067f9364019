import { AGREEMENT_CATEGORIES, categoryLabels, type AgreementCategory } from '../../../shared/agreements/categories';

/** The agreement categories as a select, in the order and words of the agreements model. */
export function CategorySelect({
  id,
  value,
  onChange,
}: {
  id?: string;
  value: AgreementCategory;
  onChange: (category: AgreementCategory) => void;
}) {
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
