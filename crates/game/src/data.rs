//! Scenario files as Bevy assets: a RON asset loader reads each file under `scenarios://`,
//! and the catalog system validates the whole folder with the engine whenever it (re)loads.
//! A broken folder leaves diagnostics in the catalog; the last good scenarios stay in use.

use crate::flow::Flow;
use authoring::diagnostic::Diagnostic;
use authoring::load::{RawScenarios, decode};
use authoring::validate::{Scenarios, validate};
use bevy::asset::io::{AssetSourceBuilder, Reader};
use bevy::asset::{AssetLoader, LoadContext, LoadedFolder};
use bevy::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One scenario file as read from disk.
#[derive(Asset, TypePath, Debug, Clone)]
pub struct ScenarioFile {
    /// Path inside the scenario folder, e.g. `cases/print_shop.ron`.
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

#[derive(Default, TypePath)]
pub struct ScenarioFileLoader;

impl AssetLoader for ScenarioFileLoader {
    type Asset = ScenarioFile;
    type Settings = ();
    type Error = std::io::Error;

    async fn load(
        &self,
        reader: &mut dyn Reader,
        _settings: &(),
        ctx: &mut LoadContext<'_>,
    ) -> Result<ScenarioFile, std::io::Error> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).await?;
        Ok(ScenarioFile {
            path: ctx.path().path().to_owned(),
            bytes,
        })
    }

    fn extensions(&self) -> &[&str] {
        &["ron"]
    }
}

/// The validated scenarios the game plays, and the diagnostics of the latest load.
#[derive(Resource, Default)]
pub struct Catalog {
    pub scenarios: Option<Arc<Scenarios>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Bumped every time a new valid version is installed.
    pub version: u32,
}

#[derive(Resource)]
struct ScenarioFolder(Handle<LoadedFolder>);

pub(super) fn register_source(app: &mut App, dir: &Path) {
    let dir = dir.to_string_lossy().into_owned();
    app.register_asset_source(
        "scenarios",
        AssetSourceBuilder::platform_default(&dir, None),
    );
}

pub(super) fn plugin(app: &mut App) {
    app.init_asset::<ScenarioFile>()
        .init_asset_loader::<ScenarioFileLoader>()
        .init_resource::<Catalog>()
        .add_systems(Startup, load_folder)
        .add_systems(Update, rebuild_catalog);
}

fn load_folder(mut commands: Commands, server: Res<AssetServer>) {
    commands.insert_resource(ScenarioFolder(server.load_folder("scenarios://")));
}

/// Validates the folder when it has loaded and whenever one of its files changes.
fn rebuild_catalog(
    mut folder_events: MessageReader<AssetEvent<LoadedFolder>>,
    mut file_events: MessageReader<AssetEvent<ScenarioFile>>,
    folder: Option<Res<ScenarioFolder>>,
    folders: Res<Assets<LoadedFolder>>,
    files: Res<Assets<ScenarioFile>>,
    mut catalog: ResMut<Catalog>,
    mut flow: MessageWriter<Flow>,
) {
    let Some(folder) = folder else { return };
    let folder_ready = folder_events
        .read()
        .any(|e| e.is_loaded_with_dependencies(&folder.0));
    let file_changed = file_events
        .read()
        .any(|e| matches!(e, AssetEvent::Modified { .. }));
    if !(folder_ready || file_changed && catalog.scenarios.is_some()) {
        return;
    }
    let Some(loaded) = folders.get(&folder.0) else {
        return;
    };
    let mut diags = Vec::new();
    let mut raw = RawScenarios::default();
    let mut sources: Vec<&ScenarioFile> = loaded
        .handles
        .iter()
        .filter_map(|h| h.id().try_typed::<ScenarioFile>().ok())
        .filter_map(|id| files.get(id))
        .collect();
    sources.sort_by(|a, b| a.path.cmp(&b.path));
    for f in sources {
        let shown = Path::new("scenarios").join(&f.path);
        match decode(&shown, f.bytes.clone()) {
            Ok(text) => raw.add_source(&shown, text, None, &mut diags),
            Err(d) => diags.push(d),
        }
    }
    match validate(raw, diags) {
        Ok(sc) => {
            catalog.scenarios = Some(Arc::new(sc));
            catalog.diagnostics.clear();
            catalog.version += 1;
            flow.write(Flow::CatalogReady);
        }
        Err(d) => catalog.diagnostics = d,
    }
}
