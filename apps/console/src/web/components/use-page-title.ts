import { useEffect } from "react";

/** Each screen names itself in the window title, so tabs and history read well. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · SmartRecover console`;
  }, [title]);
}
