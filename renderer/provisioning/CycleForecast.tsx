import { useId } from 'react';
import { describeForecast } from '../../shared/go-live/forecast.ts';
import type { Plan } from './types.ts';

/** The initial cycle's forecast under the dry run: duration range, requests, vendor limits, what is never cleared. */
export function CycleForecast({ forecast }: { forecast: NonNullable<Plan['forecast']> }) {
  const exceeded = forecast.rateChecks.some((check) => check.exceeded);
  // the dry run and the go-live panel may both show a forecast: each heading needs its own id
  const titleId = useId();
  return (
    <section className="prov-forecast" aria-labelledby={titleId}>
      <h3 id={titleId}>First cycle forecast</h3>
      <ul className={exceeded ? 'prov-forecast-lines warning' : 'prov-forecast-lines'}>
        {describeForecast(forecast).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </section>
  );
}
