/**
 * The image map file, read again whenever it changed (by modification time and size), since
 * parts of the local cluster started later add entries. A file with problems keeps the last
 * good map in use and logs the problems once per change.
 */
import { readFileSync, statSync } from 'node:fs';
import { formatImageMapProblems, parseImageMap, type ImageMap } from './image-map.js';
import type { Log } from './log.js';

export class ImageMapFile {
  private map: ImageMap = new Map();
  private stamp = '';

  constructor(
    readonly path: string,
    private readonly log: Log,
  ) {}

  /** The map as the file says now (or the last good one). */
  current(): ImageMap {
    let stamp: string;
    try {
      const s = statSync(this.path);
      stamp = `${s.mtimeMs}:${s.size}`;
    } catch {
      stamp = 'missing';
    }
    if (stamp === this.stamp) return this.map;
    this.stamp = stamp;
    if (stamp === 'missing') {
      this.log('image-map.missing', { path: this.path });
      return this.map;
    }
    const result = parseImageMap(readFileSync(this.path, 'utf8'));
    if (result.ok) {
      this.map = result.map;
      this.log('image-map.loaded', { path: this.path, images: [...result.map.keys()] });
    } else {
      this.log('image-map.invalid', {
        problems: formatImageMapProblems(this.path, result.problems).split('\n'),
      });
    }
    return this.map;
  }
}
