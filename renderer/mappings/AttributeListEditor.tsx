import { useState } from 'react';
import { ATTRIBUTE_TYPES, type AttributeDefinition } from '../../shared/mapping/schema.ts';
import { newAttributeDefinition } from './mapping-edits.ts';
import { disabledBecause } from '../components/disabled-reason.ts';

interface AttributeListEditorProps {
  attributes: readonly AttributeDefinition[];
  /** target attributes some mapping row uses: removing one of them is refused */
  mappedTargets: ReadonlySet<string>;
  onChange(attributes: AttributeDefinition[]): void;
}

/**
 * "Edit attribute list for customappsso": the target attributes the app accepts, where custom extension attributes
 * (urn:ietf:params:scim:schemas:extension:…) are added with a type and multi-valued flag (Microsoft Learn "Customize
 * user provisioning attribute-mappings", "Editing the list of supported attributes").
 */
export function AttributeListEditor({ attributes, mappedTargets, onChange }: AttributeListEditorProps) {
  const [name, setName] = useState('');
  const [type, setType] = useState<string>('String');
  const [multivalued, setMultivalued] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const add = () => {
    const trimmed = name.trim();
    if (!trimmed) return setProblem('Enter the attribute name, e.g. urn:ietf:params:scim:schemas:extension:acme:1.0:User:costCenter');
    if (attributes.some((a) => a.name.toLowerCase() === trimmed.toLowerCase())) return setProblem(`${trimmed} is already in the list.`);
    setProblem(null);
    onChange([...attributes, newAttributeDefinition(trimmed, type, multivalued)]);
    setName('');
    setMultivalued(false);
  };
  const change = (index: number, patch: Partial<AttributeDefinition>) => onChange(attributes.map((a, i) => (i === index ? { ...a, ...patch } : a)));

  return (
    <section className="attribute-list" aria-label="Target attribute list">
      <table className="mapping-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Multi-valued</th>
            <th scope="col">Required</th>
            <th scope="col">
              <span className="mappings-hidden-label">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {attributes.map((attribute, index) => {
            const mapped = mappedTargets.has(attribute.name.toLowerCase());
            return (
              <tr key={attribute.name}>
                <td className="target">{attribute.name}</td>
                <td>
                  <select aria-label={`Type of ${attribute.name}`} value={attribute.type ?? 'String'} onChange={(e) => change(index, { type: e.target.value })}>
                    {ATTRIBUTE_TYPES.map((t) => (
                      <option key={t}>{t}</option>
                    ))}
                  </select>
                </td>
                <td>
                  <input type="checkbox" aria-label={`${attribute.name} is multi-valued`} checked={Boolean(attribute.multivalued)} onChange={(e) => change(index, { multivalued: e.target.checked })} />
                </td>
                <td>{attribute.required ? 'Yes' : 'No'}</td>
                <td>
                  <button
                    type="button"
                    className="danger"
                    {...disabledBecause(mapped && 'A mapping sends this attribute: delete the mapping first')}
                    onClick={() => onChange(attributes.filter((_, i) => i !== index))}
                    aria-label={`Remove ${attribute.name}`}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="add-attribute">
        <input aria-label="New attribute name" placeholder="urn:ietf:params:scim:schemas:extension:…:User:name" value={name} onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && add()} />
        <select aria-label="New attribute type" value={type} onChange={(e) => setType(e.target.value)}>
          {ATTRIBUTE_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <label>
          <input type="checkbox" checked={multivalued} onChange={(e) => setMultivalued(e.target.checked)} /> Multi-valued
        </label>
        <button type="button" onClick={add}>
          Add attribute
        </button>
      </div>
      {problem && <p className="error-text">{problem}</p>}
    </section>
  );
}
