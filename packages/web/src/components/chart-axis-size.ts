import type uPlot from 'uplot';

let measuring: CanvasRenderingContext2D | null = null;

function textWidth(text: string, font: string): number {
  measuring ??= document.createElement('canvas').getContext('2d');
  if (!measuring) return text.length * 8;
  measuring.font = font;
  return measuring.measureText(text).width;
}

/**
 * The width a value axis needs for its widest tick label, plus its tick and gap, so that no label
 * is cut at the chart's edge ("$0.00015" read ".00015" in a fixed 60 px).
 */
export function axisSize(options: { self: uPlot; values: string[] | null; axisIndex: number; font: string }): number {
  const axis = options.self.axes[options.axisIndex];
  const tick = axis?.ticks?.size ?? 10;
  const gap = axis?.gap ?? 5;
  const widest = Math.max(0, ...(options.values ?? []).map((label) => textWidth(label, options.font)));
  // A little slack: canvas text is drawn with the device's subpixel rounding.
  return Math.ceil(widest + tick + gap + 4);
}
