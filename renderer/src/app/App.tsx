/** The application shell; pages arrive with the renderer issue. */
export function App() {
  return (
    <main>
      <h1>Classroom</h1>
      <p>Live 1:1 mentoring.</p>
    </main>
  );
}
