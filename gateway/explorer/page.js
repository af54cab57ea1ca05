// The explorer page's script (GraphiQL 3 with React 18, all served by the gateway itself: no CDN).
// Its settings — endpoint, saved operations, default headers — come from the JSON block in the page.
(function () {
  var settings = JSON.parse(document.getElementById('explorer-settings').textContent);
  var fetcher = GraphiQL.createFetcher({ url: settings.endpoint });
  var root = ReactDOM.createRoot(document.getElementById('explorer'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: settings.tabs,
      defaultHeaders: settings.headers,
      defaultEditorToolsVisibility: true,
      shouldPersistHeaders: false,
    }),
  );
})();
