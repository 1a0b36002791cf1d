/** One answer of the Graph stand-in's routes (shared by the application and directory routes). */
export interface GraphReply {
  status: number;
  body?: unknown;
}
