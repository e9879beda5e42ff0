/** A banyan: a wide crown over a trunk and its aerial roots. */
export function Logo({ size = 32 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill="#1f7a5a" />
      <ellipse cx="16" cy="12" rx="11" ry="6.5" fill="#8fd6b0" />
      <path
        d="M16 14v12M16 17c-2 1-4 2-5 5M16 17c2 1 4 2 5 5M11 15v9M21 15v9"
        stroke="#fff"
        strokeWidth="1.8"
        strokeLinecap="round"
        fill="none"
      />
    </svg>
  );
}
