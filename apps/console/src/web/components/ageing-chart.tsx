import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, XAxis, YAxis } from "recharts";

export interface AgeingBar {
  bucket: string;
  count: number;
}

/**
 * The unresolved-ageing bars. The picture is one image to assistive technology; the same
 * numbers are in the table beside it. Loaded lazily: the chart library is the heaviest part.
 */
export default function AgeingChart({ bars, label }: { bars: AgeingBar[]; label: string }) {
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={bars} margin={{ top: 20, right: 12, bottom: 4, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="#e3e8ef" />
          <XAxis
            dataKey="bucket"
            tickLine={false}
            axisLine={{ stroke: "#c5cdd8" }}
            tick={{ fill: "#3d4a5c", fontSize: 13 }}
          />
          <YAxis
            allowDecimals={false}
            tickLine={false}
            axisLine={false}
            width={48}
            tick={{ fill: "#3d4a5c", fontSize: 12 }}
          />
          <Bar dataKey="count" fill="#2f6ea3" radius={[4, 4, 0, 0]} isAnimationActive={false} maxBarSize={72}>
            <LabelList dataKey="count" position="top" fill="#1b2430" fontSize={13} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
