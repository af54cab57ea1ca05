// The explorer page's script (GraphiQL 3 with React 18 and the explorer plugin, all served by the gateway itself: no CDN).
// Its settings — endpoint, saved operations, default headers — come from the JSON block in the page.
(function () {
  var settings = JSON.parse(document.getElementById('explorer-settings').textContent);
  var fetcher = GraphiQL.createFetcher({ url: settings.endpoint });
  // The explorer plugin lists the fields of Query to pick by clicking; its pane opens first, with a Japanese title.
  var title = 'エクスプローラー（項目をクリックして質問を作る）';
  var explorer = GraphiQLPluginExplorer.explorerPlugin({ showAttribution: false, title: title });
  explorer.title = title; // the sidebar button's label
  var root = ReactDOM.createRoot(document.getElementById('explorer'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: settings.tabs,
      defaultHeaders: settings.headers,
      defaultEditorToolsVisibility: true,
      shouldPersistHeaders: false,
      // Tabs, variables and history kept for this browser tab only: what is typed may be a visit's notes
      // (要配慮個人情報), and localStorage outlives the tab for every later user of a shared PC.
      storage: window.sessionStorage,
      plugins: [explorer],
      visiblePlugin: explorer,
    }),
  );
})();
