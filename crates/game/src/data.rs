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

/// The folders read, in order (the scenarios, then a trainer's project on top), each with the
/// folder its files are shown in.
#[derive(Resource)]
struct ScenarioFolders(Vec<(PathBuf, Handle<LoadedFolder>)>);

/// A trainer's project folder (personas/ and cases/ only), read on top of the scenarios.
#[derive(Resource, Clone)]
struct ProjectFolder(PathBuf);

pub(super) fn register_source(app: &mut App, dir: &Path) {
    let dir = dir.to_string_lossy().into_owned();
    app.register_asset_source(
        "scenarios",
        AssetSourceBuilder::platform_default(&dir, None),
    );
}

pub(super) fn register_project(app: &mut App, dir: &Path) {
    let shown = dir.to_string_lossy().into_owned();
    app.register_asset_source(
        "project",
        AssetSourceBuilder::platform_default(&shown, None),
    );
    app.insert_resource(ProjectFolder(dir.to_owned()));
}

/// Whether a file of a scenario folder is one the scenarios are read from (the shared files,
/// personas/ and cases/; a project gives only the last two). Anything else beside them, such as
/// the translation workflow's `strings-translated.ron`, is not a scenario file.
pub fn is_scenario_file(path: &Path, project: bool) -> bool {
    let ron = path.extension().is_some_and(|x| x == "ron");
    let parts: Vec<_> = path.components().map(|c| c.as_os_str()).collect();
    match parts.as_slice() {
        [dir, _] => ron && (*dir == "personas" || *dir == "cases"),
        [name] => {
            !project
                && ["tactics.ron", "lines.ron", "rubric.ron"]
                    .iter()
                    .any(|f| name == f)
        }
        _ => false,
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_asset::<ScenarioFile>()
        .init_asset_loader::<ScenarioFileLoader>()
        .init_resource::<Catalog>()
        .add_systems(Startup, load_folder)
        .add_systems(Update, rebuild_catalog);
}

fn load_folder(
    mut commands: Commands,
    server: Res<AssetServer>,
    project: Option<Res<ProjectFolder>>,
) {
    let mut folders = vec![(
        PathBuf::from("scenarios"),
        server.load_folder("scenarios://"),
    )];
    if let Some(p) = project {
        folders.push((p.0.clone(), server.load_folder("project://")));
    }
    commands.insert_resource(ScenarioFolders(folders));
}

/// Validates the folders when they have loaded and whenever one of their files changes.
#[allow(clippy::too_many_arguments)] // a Bevy system: each argument is a resource it reads
fn rebuild_catalog(
    mut folder_events: MessageReader<AssetEvent<LoadedFolder>>,
    mut file_events: MessageReader<AssetEvent<ScenarioFile>>,
    folders: Option<Res<ScenarioFolders>>,
    loaded: Res<Assets<LoadedFolder>>,
    files: Res<Assets<ScenarioFile>>,
    server: Res<AssetServer>,
    mut catalog: ResMut<Catalog>,
    mut flow: MessageWriter<Flow>,
) {
    let Some(folders) = folders else { return };
    let folder_ready = folder_events.read().any(|e| {
        folders
            .0
            .iter()
            .any(|(_, h)| e.is_loaded_with_dependencies(h))
    });
    let file_changed = file_events
        .read()
        .any(|e| matches!(e, AssetEvent::Modified { .. }));
    if !(folder_ready || file_changed && catalog.scenarios.is_some()) {
        return;
    }
    let all_loaded = folders
        .0
        .iter()
        .all(|(_, h)| server.is_loaded_with_dependencies(h));
    if !all_loaded {
        return;
    }
    let mut diags = Vec::new();
    let mut raw = RawScenarios::default();
    for (i, (shown_in, handle)) in folders.0.iter().enumerate() {
        let Some(folder) = loaded.get(handle) else {
            return;
        };
        let mut sources: Vec<&ScenarioFile> = folder
            .handles
            .iter()
            .filter_map(|h| h.id().try_typed::<ScenarioFile>().ok())
            .filter_map(|id| files.get(id))
            .filter(|f| is_scenario_file(&f.path, i > 0))
            .collect();
        sources.sort_by(|a, b| a.path.cmp(&b.path));
        for f in sources {
            let shown = shown_in.join(&f.path);
            match decode(&shown, f.bytes.clone()) {
                Ok(text) => raw.add_source(&shown, text, None, &mut diags),
                Err(d) => diags.push(d),
            }
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

#[cfg(test)]
mod tests {
    use super::is_scenario_file;
    use std::path::Path;

    #[test]
    fn only_scenario_files_are_read() {
        assert!(is_scenario_file(Path::new("cases/a.ron"), true));
        assert!(is_scenario_file(Path::new("tactics.ron"), false));
        assert!(!is_scenario_file(Path::new("tactics.ron"), true));
        assert!(!is_scenario_file(
            Path::new("strings-translated.ron"),
            false
        ));
        assert!(!is_scenario_file(Path::new("cases/notes.txt"), false));
        assert!(!is_scenario_file(Path::new("cases/old/a.ron"), false));
    }
}
