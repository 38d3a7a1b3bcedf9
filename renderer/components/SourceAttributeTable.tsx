/** How a source value reads in a table: strings as they are, null as "null", the rest as JSON. */
export function renderSourceValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * A user's source object under Entra's provisioning attribute names, sorted so that
 * extensionAttribute2 comes before extensionAttribute10.
 */
export function SourceAttributeTable({ source }: { source: Readonly<Record<string, unknown>> }) {
  const entries = Object.entries(source).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
  return (
    <table className="attribute-table">
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td className={value === null ? 'muted' : undefined}>{renderSourceValue(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
