import { Field, ObjectType } from 'type-graphql';
import { PageInfo } from '../../../shared/pagination';
import { NotesRead } from './visit.type';

@ObjectType({ description: 'A read of notes in a page, with its cursor.' })
export class NotesReadEdge {
  @Field({ description: 'Cursor of this read: pass it as `after` to read on from it.' })
  cursor!: string;

  @Field(() => NotesRead, { description: 'The read.' })
  node!: NotesRead;
}

@ObjectType({ description: 'A page of reads of visit notes, newest first (Relay connection).' })
export class NotesReadConnection {
  @Field(() => [NotesReadEdge], { description: "The page's reads with their cursors." })
  edges!: NotesReadEdge[];

  @Field(() => [NotesRead], { description: "The page's reads." })
  nodes!: NotesRead[];

  @Field(() => PageInfo, { description: 'Whether there is a next page, and the cursor to ask for it.' })
  pageInfo!: PageInfo;
}
