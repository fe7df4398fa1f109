import { Link } from "react-router";
import { usePageTitle } from "../components/use-page-title";

export function NotFoundScreen() {
  usePageTitle("Not found");
  return (
    <section className="screen" aria-labelledby="not-found-title">
      <h1 id="not-found-title">Page not found</h1>
      <p>
        There is no screen at this address. Go to the <Link to="/">overview</Link>.
      </p>
    </section>
  );
}
